import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Issue 11: with CELLSCOPE_AUTH=on every /api route takes a session cookie or a Bearer token;
// no credentials -> 401, a read-scoped token on a writing route -> 403.
const dir = mkdtempSync(join(tmpdir(), 'cellscope-shared-'));
process.env.DATABASE_URL = `file:${join(dir, 'shared.db')}`;
process.env.CELLSCOPE_AUTH = 'on';
const { getDb } = await import('../../../lib/db/client.ts');
const { addUser } = await import('../../../lib/auth/users.ts');
const { createApiToken, revokeApiToken } = await import('../../../lib/auth/tokens.ts');
const runs = await import('../../../app/api/runs/route.ts');
const session = await import('../../../app/api/session/route.ts');
const openapi = await import('../../../app/api/openapi.json/route.ts');

let read = '';
let write = '';
let readId = 0;
before(async () => {
  const db = await getDb();
  await addUser(db, { email: 'ada@example.org', password: 'analytical engine' });
  ({ token: read, id: readId } = await createApiToken(db, { email: 'ada@example.org', scope: 'read' }));
  ({ token: write } = await createApiToken(db, { email: 'ada@example.org', scope: 'write' }));
});
after(async () => {
  delete process.env.CELLSCOPE_AUTH;
  await (await getDb()).close();
  rmSync(dir, { recursive: true, force: true });
});

const req = (path: string, init: RequestInit = {}) => new Request(`http://localhost${path}`, init);
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const answer = async (res: Response): Promise<[number, Record<string, unknown>]> => [res.status, (await res.json()) as Record<string, unknown>];

test('no credentials: 401 on every route but logging in and the API document', async () => {
  const [status, body] = await answer(await runs.GET(req('/api/runs')));
  assert.equal(status, 401);
  assert.equal(body.kind, 'unauthorized');
  assert.equal((await openapi.GET(req('/api/openapi.json'))).status, 200);
  assert.deepEqual(await answer(await session.GET(req('/api/session'))), [200, { mode: 'shared', user: null }]);
  assert.equal((await runs.GET(req('/api/runs', { headers: { authorization: 'Bearer cs_nope' } }))).status, 401);
});

test('log in with a session cookie (HttpOnly, SameSite); one message for a wrong e-mail or password; log out ends it', async () => {
  for (const wrong of [{ email: 'ada@example.org', password: 'difference engine' }, { email: 'nobody@example.org', password: 'analytical engine' }]) {
    const [status, body] = await answer(await session.POST(req('/api/session', json(wrong))));
    assert.deepEqual([status, body.error], [401, 'wrong e-mail or password']);
  }
  const ok = await session.POST(req('/api/session', json({ email: 'ADA@example.org', password: 'analytical engine' })));
  assert.equal(ok.status, 200);
  const setCookie = ok.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /^cellscope_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  const cookie = setCookie.split(';')[0] as string;
  assert.equal((await runs.GET(req('/api/runs', { headers: { cookie } }))).status, 200);
  assert.deepEqual((await answer(await session.GET(req('/api/session', { headers: { cookie } }))))[1].user, { id: 1, email: 'ada@example.org', isAdmin: false });
  const out = await session.DELETE(req('/api/session', { method: 'DELETE', headers: { cookie } }));
  assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
  assert.equal((await runs.GET(req('/api/runs', { headers: { cookie } }))).status, 401, 'the old cookie names no session');
});

test('tokens: a read token reads and is refused writes (403); a write token passes to the route; a revoked one is a 401', async () => {
  assert.equal((await runs.GET(req('/api/runs', { headers: { authorization: `Bearer ${read}` } }))).status, 200);
  const [status, body] = await answer(await runs.POST(req('/api/runs', json({ corpusId: 1 }, { authorization: `Bearer ${read}` }))));
  assert.equal(status, 403);
  assert.match(String(body.error), /may only read/);
  assert.equal((await runs.POST(req('/api/runs', json({ corpusId: 1 }, { authorization: `Bearer ${write}` })))).status, 404, 'authenticated: the route answers (no corpus 1)');
  await revokeApiToken(await getDb(), readId);
  assert.equal((await runs.GET(req('/api/runs', { headers: { authorization: `Bearer ${read}` } }))).status, 401);
});

test('a request the credentials check never saw is anonymous in shared mode, never local', async () => {
  const { actorOf } = await import('../../../lib/auth/actor.ts');
  assert.deepEqual(actorOf(req('/api/runs')), { kind: 'anonymous' });
  assert.deepEqual(actorOf(req('/api/runs'), {}), { kind: 'local' });
});
