import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Issue 11, shared mode: every item has an owner and a visibility; a foreign private id is the
// 404 of an unknown one and never listed; sharing is read-only; jobs are their owner's; quotas.
// Route handlers called with real Requests on a real database, as three users with API tokens.
const dir = mkdtempSync(join(tmpdir(), 'cellscope-owners-'));
process.env.DATABASE_URL = `file:${join(dir, 'owners.db')}`;
process.env.CELLSCOPE_AUTH = 'on';
const { getDb } = await import('../../../lib/db/client.ts');
const { addUser } = await import('../../../lib/auth/users.ts');
const { createApiToken } = await import('../../../lib/auth/tokens.ts');
const { createCorpus } = await import('../../../lib/db/corpora.ts');
const { adoptUnowned } = await import('../../../lib/auth/adopt.ts');
const corpora = await import('../../../app/api/corpora/route.ts');
const corpusById = await import('../../../app/api/corpora/[id]/route.ts');
const corpusLabels = await import('../../../app/api/corpora/[id]/labels/route.ts');
const corpusSharing = await import('../../../app/api/corpora/[id]/sharing/route.ts');
const runs = await import('../../../app/api/runs/route.ts');
const runById = await import('../../../app/api/runs/[id]/route.ts');
const jobById = await import('../../../app/api/jobs/[id]/route.ts');
const jobCancel = await import('../../../app/api/jobs/[id]/cancel/route.ts');
const admin = await import('../../../app/api/admin/route.ts');

const tokens: Record<'ada' | 'bob' | 'carol', { write: string; read: string }> = { ada: { write: '', read: '' }, bob: { write: '', read: '' }, carol: { write: '', read: '' } };
before(async () => {
  const db = await getDb();
  for (const name of ['ada', 'bob', 'carol'] as const) {
    await addUser(db, { email: `${name}@lab.example`, password: 'a long enough passphrase', isAdmin: name === 'carol' });
    tokens[name].write = (await createApiToken(db, { email: `${name}@lab.example`, scope: 'write' })).token;
    tokens[name].read = (await createApiToken(db, { email: `${name}@lab.example`, scope: 'read' })).token;
  }
});
after(async () => {
  delete process.env.CELLSCOPE_AUTH;
  await (await getDb()).close();
  rmSync(dir, { recursive: true, force: true });
});

type Who = keyof typeof tokens;
const auth = (who: Who, scope: 'read' | 'write' = 'write') => ({ authorization: `Bearer ${tokens[who][scope]}` });
const get = (who: Who, path: string, scope: 'read' | 'write' = 'write') => new Request(`http://localhost${path}`, { headers: auth(who, scope) });
const send = (who: Who, path: string, method: string, body?: unknown) =>
  new Request(`http://localhost${path}`, { method, headers: { ...auth(who), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
const params = (id: number) => ({ params: Promise.resolve({ id: String(id) }) });
const answer = async (res: Response): Promise<[number, Record<string, unknown>]> => [res.status, (await res.json()) as Record<string, unknown>];
function upload(who: Who, text: string): Request {
  const form = new FormData();
  form.append('file', new File([text], 'c.txt'));
  return new Request('http://localhost/api/corpora', { method: 'POST', headers: auth(who), body: form });
}
const TEXT = 'the quick brown fox jumps over the lazy dog. '.repeat(120);
const corpusIds = async (who: Who): Promise<number[]> => ((await answer(await corpora.GET(get(who, '/api/corpora'))))[1].corpora as { id: number }[]).map((c) => c.id);

let adaCorpus = 0;
test('a private corpus is its owner\'s: to anyone else it is the 404 of an unknown id and is never listed', async () => {
  const [status, body] = await answer(await corpora.POST(upload('ada', TEXT)));
  assert.equal(status, 201);
  const corpus = body.corpus as { id: number; owner: { email: string }; visibility: string };
  adaCorpus = corpus.id;
  assert.deepEqual([corpus.owner.email, corpus.visibility], ['ada@lab.example', 'private']);
  assert.deepEqual(await corpusIds('ada'), [adaCorpus]);
  assert.deepEqual(await corpusIds('bob'), []);
  const foreign = await answer(await corpusById.GET(get('bob', `/api/corpora/${adaCorpus}`), params(adaCorpus)));
  const unknown = await answer(await corpusById.GET(get('bob', '/api/corpora/9999'), params(9999)));
  assert.deepEqual(foreign, [404, { error: `corpus ${adaCorpus} not found`, kind: 'not_found' }]);
  assert.deepEqual(unknown, [404, { error: 'corpus 9999 not found', kind: 'not_found' }]);
  // Nor can it be trained on, labelled, shared or deleted by them.
  assert.equal((await runs.POST(send('bob', '/api/runs', 'POST', { corpusId: adaCorpus }))).status, 404);
  assert.equal((await corpusLabels.POST(send('bob', `/api/corpora/${adaCorpus}/labels`, 'POST', { name: 'x', spans: [{ start: 0, end: 3, label: 'a' }] }), params(adaCorpus))).status, 404);
  assert.equal((await corpusSharing.POST(send('bob', `/api/corpora/${adaCorpus}/sharing`, 'POST', { visibility: 'public' }), params(adaCorpus))).status, 404);
  assert.equal((await corpusById.DELETE(send('bob', `/api/corpora/${adaCorpus}`, 'DELETE'), params(adaCorpus))).status, 404);
  assert.equal((await corpusById.GET(get('ada', `/api/corpora/${adaCorpus}`), params(adaCorpus))).status, 200);
});

test('sharing with a named user makes it visible to them read-only; an unknown e-mail changes nothing', async () => {
  const path = `/api/corpora/${adaCorpus}/sharing`;
  const [bad, badBody] = await answer(await corpusSharing.POST(send('ada', path, 'POST', { visibility: 'shared', users: ['bob@lab.example', 'eve@else.example'] }), params(adaCorpus)));
  assert.equal(bad, 400);
  assert.match(String(badBody.error), /no account has the e-mail "eve@else\.example"/);
  assert.deepEqual(await corpusIds('bob'), [], 'the refused request shared nothing');
  assert.deepEqual(await answer(await corpusSharing.POST(send('ada', path, 'POST', { visibility: 'shared', users: ['BOB@lab.example'] }), params(adaCorpus))), [200, { visibility: 'shared', users: ['bob@lab.example'] }]);
  assert.deepEqual(await answer(await corpusSharing.GET(get('ada', path), params(adaCorpus))), [200, { visibility: 'shared', users: ['bob@lab.example'] }]);
  assert.deepEqual(await corpusIds('bob'), [adaCorpus]);
  assert.deepEqual(await corpusIds('carol'), [], 'not shared with carol, admin or not');
  const [del, delBody] = await answer(await corpusById.DELETE(send('bob', `/api/corpora/${adaCorpus}`, 'DELETE'), params(adaCorpus)));
  assert.equal(del, 403);
  assert.match(String(delBody.error), /shared with you read-only/);
  assert.equal((await corpusSharing.GET(get('bob', path), params(adaCorpus))).status, 403, 'only the owner sees whom it is shared with');
  assert.equal((await corpusSharing.POST(send('ada', path, 'POST', { visibility: 'private', users: ['bob@lab.example'] }), params(adaCorpus))).status, 400, 'users go with shared only');
});

test('a reader may label a shared corpus: the track is theirs and private to them', async () => {
  const path = `/api/corpora/${adaCorpus}/labels`;
  const [status, body] = await answer(await corpusLabels.POST(send('bob', path, 'POST', { name: 'bob\'s', spans: [{ start: 0, end: 3, label: 'the' }] }), params(adaCorpus)));
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal((body.owner as { email: string }).email, 'bob@lab.example');
  const names = async (who: Who) => ((await answer(await corpusLabels.GET(get(who, path), params(adaCorpus))))[1].tracks as { name: string }[]).map((t) => t.name);
  assert.deepEqual(await names('bob'), ['bob\'s']);
  assert.deepEqual(await names('ada'), [], 'bob\'s private track is not listed to the corpus\'s owner');
});

test('public: every logged-in user reads it; a read token still cannot write', async () => {
  await corpusSharing.POST(send('ada', `/api/corpora/${adaCorpus}/sharing`, 'POST', { visibility: 'public' }), params(adaCorpus));
  assert.deepEqual(await corpusIds('carol'), [adaCorpus]);
  assert.equal((await corpusById.GET(get('carol', `/api/corpora/${adaCorpus}`, 'read'), params(adaCorpus))).status, 200);
  assert.equal((await corpusById.DELETE(new Request(`http://localhost/api/corpora/${adaCorpus}`, { method: 'DELETE', headers: auth('ada', 'read') }), params(adaCorpus))).status, 403, 'the owner\'s read token');
});

let adaJob = 0;
let adaRun = 0;
test('jobs are their owner\'s: others get a 404 and do not see them in the run; an admin may cancel any', async () => {
  const config = { arch: 'lstm', layers: 1, hidden: 16, batch: 4, seq: 16, steps: 5 };
  const [status, body] = await answer(await runs.POST(send('ada', '/api/runs', 'POST', { corpusId: adaCorpus, config })));
  assert.equal(status, 201, JSON.stringify(body));
  ({ runId: adaRun, jobId: adaJob } = body as { runId: number; jobId: number });
  assert.equal((await jobById.GET(get('bob', `/api/jobs/${adaJob}`), params(adaJob))).status, 404);
  assert.equal((await jobCancel.POST(send('bob', `/api/jobs/${adaJob}/cancel`, 'POST'), params(adaJob))).status, 404);
  assert.equal((await runById.GET(get('bob', `/api/runs/${adaRun}`), params(adaRun))).status, 404, 'the run is private');
  await (await import('../../../app/api/runs/[id]/sharing/route.ts')).POST(send('ada', `/api/runs/${adaRun}/sharing`, 'POST', { visibility: 'public' }), params(adaRun));
  const [, seen] = await answer(await runById.GET(get('bob', `/api/runs/${adaRun}`), params(adaRun)));
  assert.deepEqual(seen.jobs, [], 'a reader of the public run does not see its owner\'s job');
  const [, own] = await answer(await runById.GET(get('ada', `/api/runs/${adaRun}`), params(adaRun)));
  assert.deepEqual((own.jobs as { id: number }[]).map((j) => j.id), [adaJob]);
  assert.equal((await jobCancel.POST(send('carol', `/api/jobs/${adaJob}/cancel`, 'POST'), params(adaJob))).status, 200, 'the admin cancels it');
});

test('quotas: jobs past CELLSCOPE_USER_MAX_JOBS are a 429, storage past CELLSCOPE_USER_QUOTA_GB a 413, each saying what to do', async () => {
  const config = { arch: 'lstm', layers: 1, hidden: 16, batch: 4, seq: 16, steps: 5 };
  process.env.CELLSCOPE_USER_MAX_JOBS = '1';
  try {
    assert.equal((await runs.POST(send('bob', '/api/runs', 'POST', { corpusId: adaCorpus, config }))).status, 201);
    const before = await (await getDb()).prisma.run.count();
    const res = await runs.POST(send('bob', '/api/runs', 'POST', { corpusId: adaCorpus, config }));
    const [status, body] = await answer(res);
    assert.equal(status, 429);
    assert.equal(body.kind, 'too_many_requests');
    assert.match(String(body.error), /you have 1 jobs queued or running and this needs 1 more, past the 1 one user may have \(CELLSCOPE_USER_MAX_JOBS\)/);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.equal(await (await getDb()).prisma.run.count(), before, 'nothing stored');
  } finally {
    delete process.env.CELLSCOPE_USER_MAX_JOBS;
  }
  process.env.CELLSCOPE_USER_QUOTA_GB = String(6000 / 1024 ** 3); // 6,000 bytes: ada holds ~5,400
  try {
    const [status, body] = await answer(await corpora.POST(upload('ada', TEXT)));
    assert.equal(status, 413);
    assert.match(String(body.error), /this corpus needs about 5\.3 KB, and you already use 5\.3 KB of your 5\.9 KB quota/);
    assert.equal((await corpora.POST(upload('carol', TEXT))).status, 201, 'another user\'s quota is their own');
  } finally {
    delete process.env.CELLSCOPE_USER_QUOTA_GB;
  }
});

test('the admin overview: users with their storage and the queued jobs, a 404 to anyone else', async () => {
  assert.equal((await admin.GET(get('bob', '/api/admin'))).status, 404);
  const [status, body] = await answer(await admin.GET(get('carol', '/api/admin')));
  assert.equal(status, 200);
  const users = body.users as { email: string; storage: { corpora: number; labelTracks: number; total: number }; activeJobs: number }[];
  assert.deepEqual(users.map((u) => u.email), ['ada@lab.example', 'bob@lab.example', 'carol@lab.example']);
  assert.equal(users[0]?.storage.corpora, TEXT.length);
  assert.equal(users[1]?.storage.labelTracks, 2 * TEXT.length, 'bob\'s label track: 2 bytes a character');
  assert.equal(users[1]?.activeJobs, 1);
  assert.deepEqual((body.jobs as { owner: string }[]).map((j) => j.owner), ['bob@lab.example']);
});

test('what local mode made is nobody\'s and shown to no one, until an admin gives it to a user', async () => {
  const db = await getDb();
  const local = await createCorpus(db, { name: 'made in local mode', text: TEXT });
  assert.ok(!(await corpusIds('bob')).includes(local.id));
  const adopted = await adoptUnowned(db, 'bob@lab.example');
  assert.equal(adopted.corpora, 1);
  assert.ok((await corpusIds('bob')).includes(local.id));
  assert.ok(!(await corpusIds('ada')).includes(local.id));
});
