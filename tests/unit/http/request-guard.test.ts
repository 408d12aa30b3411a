import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRequestOrigin, hostnameOf, isAllowedHost } from '../../../lib/http/request-guard.ts';

// Issue 11, findings 3 and 9: DNS rebinding, CSRF, bodies without limits.
const dir = mkdtempSync(join(tmpdir(), 'cellscope-guard-'));
process.env.DATABASE_URL = `file:${join(dir, 'guard.db')}`;
process.env.CELLSCOPE_MAX_UPLOAD_MB = '0.01';
const runs = await import('../../../app/api/runs/route.ts');
const corpora = await import('../../../app/api/corpora/route.ts');
const labels = await import('../../../app/api/corpora/[id]/labels/route.ts');
const { getDb } = await import('../../../lib/db/client.ts');
after(async () => {
  await (await getDb()).close();
  rmSync(dir, { recursive: true, force: true });
});

/** A body that arrives in chunks with no Content-Length, as `Transfer-Encoding: chunked` does. */
function chunked(bytes: number, chunk = 4096): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= bytes) return c.close();
      const n = Math.min(chunk, bytes - sent);
      sent += n;
      c.enqueue(new Uint8Array(n).fill(0x20));
    },
  });
}
const status = async (res: Response): Promise<[number, string]> => [res.status, String(((await res.json()) as { error?: string }).error)];

test('host names: loopback and CELLSCOPE_ALLOWED_HOSTS are served, anything else is not', () => {
  assert.equal(hostnameOf('[::1]:3000'), '::1');
  assert.equal(hostnameOf('Example.ORG:80'), 'example.org');
  assert.equal(hostnameOf('::1'), '::1');
  for (const h of ['localhost:3000', '127.0.0.1', '127.3.4.5:99', '[::1]:3000', 'app.localhost']) assert.ok(isAllowedHost(h, {}), h);
  for (const h of ['evil.example', 'evil.example:3000', '10.0.0.5', '', 'localhost.evil.example']) assert.ok(!isAllowedHost(h, {}), h);
  assert.ok(isAllowedHost('lab.example.org:443', { CELLSCOPE_ALLOWED_HOSTS: 'lab.example.org, other' }));
  assert.ok(!isAllowedHost('evil.example', { CELLSCOPE_ALLOWED_HOSTS: 'lab.example.org' }));
});

test('origins: a browser POST from another site is refused, same-origin and scripts (no Origin) pass', () => {
  const req = (headers: Record<string, string>, method = 'POST') => new Request('http://localhost:3000/api/runs', { method, headers: { host: 'localhost:3000', ...headers } });
  assert.doesNotThrow(() => checkRequestOrigin(req({}), {}));
  assert.doesNotThrow(() => checkRequestOrigin(req({ origin: 'http://localhost:3000' }), {}));
  assert.doesNotThrow(() => checkRequestOrigin(req({ origin: 'http://evil.example' }, 'GET'), {}), 'reads are CORS-protected by the browser');
  assert.throws(() => checkRequestOrigin(req({ origin: 'http://evil.example' }), {}), /from another site \(http:\/\/evil.example\)/);
  assert.throws(() => checkRequestOrigin(req({ origin: 'http://localhost:4000' }), {}), /another site/);
  assert.throws(() => checkRequestOrigin(req({ origin: 'null' }), {}), /origin "null"/);
  assert.throws(() => checkRequestOrigin(req({ 'sec-fetch-site': 'cross-site' }), {}), /another site/);
  assert.throws(() => checkRequestOrigin(req({ host: 'evil.example' }, 'GET'), {}), /does not answer to the host "evil.example"/);
});

test('routes: Host evil.example is a 403; a text/plain POST from a foreign origin queues nothing (403), without Origin it is a 415', async () => {
  const db = await getDb();
  const before = await db.prisma.job.count();
  const list = await runs.GET(new Request('http://localhost/api/runs', { headers: { host: 'evil.example' } }));
  assert.deepEqual(await status(list), [403, 'this server does not answer to the host "evil.example"; add it to CELLSCOPE_ALLOWED_HOSTS to serve it']);
  const body = JSON.stringify({ corpusId: 1 });
  const forged = await runs.POST(new Request('http://localhost/api/runs', { method: 'POST', headers: { host: 'localhost', origin: 'http://evil.example', 'content-type': 'text/plain' }, body }));
  assert.equal(forged.status, 403);
  const plain = await runs.POST(new Request('http://localhost/api/runs', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }));
  const [code, message] = await status(plain);
  assert.equal(code, 415);
  assert.match(message, /Content-Type: application\/json.*not text\/plain/);
  assert.equal(await db.prisma.job.count(), before, 'nothing queued');
});

test('bodies are counted while they stream: chunked uploads and JSON over their limits are 413s, nothing stored', async () => {
  const db = await getDb();
  const big = await corpora.POST(new Request('http://localhost/api/corpora', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: chunked(200_000), duplex: 'half' } as RequestInit));
  assert.equal(big.status, 413);
  const json = await runs.POST(new Request('http://localhost/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked(2 * 1024 ** 2), duplex: 'half' } as RequestInit));
  const [code, message] = await status(json);
  assert.equal(code, 413);
  assert.match(message, /JSON body is over the 1.0 MB limit/);
  // Label tracks may be as large as an upload (here 10 KB), no larger.
  const track = await labels.POST(new Request('http://localhost/api/corpora/1/labels', { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked(20_000), duplex: 'half' } as RequestInit), { params: Promise.resolve({ id: '1' }) });
  assert.equal(track.status, 413);
  assert.equal(await db.prisma.corpus.count(), 0);
  assert.equal(await db.prisma.run.count(), 0);
});
