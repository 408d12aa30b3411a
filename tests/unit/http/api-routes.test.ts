import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The route handlers, called directly with real Requests against a real (temp) database.
const dir = mkdtempSync(join(tmpdir(), 'cellscope-api-'));
process.env.DATABASE_URL = `file:${join(dir, 'api.db')}`;
process.env.CELLSCOPE_MAX_UPLOAD_MB = '0.01'; // 10 KiB, to test the limit cheaply

const corpora = await import('../../../app/api/corpora/route.ts');
const runs = await import('../../../app/api/runs/route.ts');
const runById = await import('../../../app/api/runs/[id]/route.ts');
const runCancel = await import('../../../app/api/runs/[id]/cancel/route.ts');
const runSample = await import('../../../app/api/runs/[id]/sample/route.ts');
const recordings = await import('../../../app/api/recordings/route.ts');
const windowRoute = await import('../../../app/api/recordings/[id]/window/route.ts');
const { getDb } = await import('../../../lib/db/client.ts');

const params = (id: string) => ({ params: Promise.resolve({ id }) });
const json = (body: unknown) => new Request('http://localhost/api', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
function upload(bytes: Uint8Array<ArrayBuffer> | string, name = 'c.txt'): Request {
  const form = new FormData();
  form.append('file', new File([bytes], name));
  return new Request('http://localhost/api/corpora', { method: 'POST', body: form });
}
async function count(table: 'corpus' | 'run' | 'recording'): Promise<number> {
  const db = await getDb();
  return table === 'corpus' ? db.prisma.corpus.count() : table === 'run' ? db.prisma.run.count() : db.prisma.recording.count();
}

let corpusId = 0;
before(async () => {
  const res = await corpora.POST(upload('hello world, this is a small corpus.\n'.repeat(40)));
  assert.equal(res.status, 201);
  corpusId = ((await res.json()) as { corpus: { id: number } }).corpus.id;
});
after(async () => {
  await (await getDb()).close();
  rmSync(dir, { recursive: true, force: true });
});

test('corpus upload refusals: empty 400, binary 400, bad UTF-8 400, over the limit 413, not multipart 400; nothing stored', async () => {
  const before = await count('corpus');
  const cases: [Request, number, RegExp][] = [
    [upload(''), 400, /empty/],
    [upload(new Uint8Array([104, 0, 105])), 400, /binary/],
    [upload(new Uint8Array([104, 0xc3, 0x28])), 400, /UTF-8/],
    [upload('x'.repeat(20_000)), 413, /upload limit/],
    [json({ text: 'hi' }), 400, /multipart/],
  ];
  for (const [req, status, message] of cases) {
    const res = await corpora.POST(req);
    const body = (await res.json()) as { error: string; field?: string };
    assert.equal(res.status, status, body.error);
    assert.match(body.error, message);
  }
  assert.equal(await count('corpus'), before);
});

test('POST /api/runs validates the body, naming the field; unknown corpus is 404', async () => {
  const before = await count('run');
  const bad = await runs.POST(json({ corpusId, config: { hidden: 4 } }));
  assert.equal(bad.status, 400);
  const body = (await bad.json()) as { error: string; field: string };
  assert.equal(body.field, 'config.hidden');
  assert.equal((await runs.POST(json({ corpusId, config: { layers: 2, bogus: 1 } }))).status, 400);
  assert.equal((await runs.POST(json({ corpusId: 999 }))).status, 404);
  const notJson = await runs.POST(new Request('http://localhost', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{nope' }));
  assert.equal(notJson.status, 400);
  assert.match(((await notJson.json()) as { error: string }).error, /not valid JSON/);
  assert.equal(await count('run'), before);

  const ok = await runs.POST(json({ corpusId, config: { hidden: 16, steps: 5, batch: 4, seq: 8 } }));
  assert.equal(ok.status, 201);
  const { runId } = (await ok.json()) as { runId: number };
  const got = await runById.GET(new Request('http://localhost'), params(String(runId)));
  assert.equal(got.status, 200);
  assert.equal(((await got.json()) as { run: { status: string } }).run.status, 'queued');
  // No checkpoint yet: sampling and recording are conflicts, not server errors.
  assert.equal((await runSample.POST(json({}), params(String(runId)))).status, 409);
  assert.equal((await recordings.POST(json({ runId }))).status, 409);
  assert.equal(await count('recording'), 0);
  // Cancel the queued run.
  const cancel = await runCancel.POST(new Request('http://localhost', { method: 'POST' }), params(String(runId)));
  assert.equal(((await cancel.json()) as { job: { status: string } }).job.status, 'cancelled');
  assert.equal((await runCancel.POST(new Request('http://localhost', { method: 'POST' }), params(String(runId)))).status, 409);
});

test('ids in paths: malformed -> 400 naming the parameter, unknown -> 404', async () => {
  const bad = await runById.GET(new Request('http://localhost'), params('abc'));
  assert.equal(bad.status, 400);
  assert.equal(((await bad.json()) as { field: string }).field, 'id');
  assert.equal((await runById.GET(new Request('http://localhost'), params('424242'))).status, 404);
  const w = await windowRoute.GET(new Request('http://localhost/api/recordings/1/window?layer=0&quantity=c&start=0&end=10'), params('77'));
  assert.equal(w.status, 404);
  const q = await windowRoute.GET(new Request('http://localhost/api/recordings/1/window?layer=0&quantity=c&start=9&end=3'), params('1'));
  assert.equal(q.status, 400);
  assert.equal(((await q.json()) as { field: string }).field, 'end');
});

test('window queries accept every architecture quantity name, including RHN micro-layer gates', async () => {
  const { getWindowQuerySchema } = await import('../../../lib/http/schemas/recordings.ts');
  for (const quantity of ['c', 'h', 'z', 'a', 't0', 't12', 'c3']) {
    assert.equal(getWindowQuerySchema.parse({ layer: '0', quantity, start: '0', end: '5' }).quantity, quantity);
  }
  assert.throws(() => getWindowQuerySchema.parse({ layer: '0', quantity: 'H; drop', start: '0', end: '5' }), /quantity/);
});

test('small requests cannot make unbounded storage or work: a huge training config, an oversized recording, a 17th label track (issue 11, finding 17)', async () => {
  const db = await getDb();
  const runsBefore = await count('run');
  const huge = await runs.POST(json({ corpusId, config: { layers: 3, hidden: 1024, batch: 256, seq: 512 } }));
  assert.equal(huge.status, 400);
  const body = (await huge.json()) as { error: string; field: string };
  assert.equal(body.field, 'config');
  assert.match(body.error, /needs about \d+ MB for a training step .* over the 4096 MB a run may take/);
  assert.equal(await count('run'), runsBefore);

  // A recording over the per-recording cap (here lowered to 1 KB) is a 413; nothing is stored.
  const { trainedRun } = await import('../../helpers/recorded-run.ts');
  const { runId } = await trainedRun(db, 'hello world, this is a small corpus.\n'.repeat(40), { hidden: 16, steps: 2, batch: 4, seq: 8, checkpointEvery: 2, evalEvery: 2, evalChars: 100 });
  process.env.CELLSCOPE_MAX_RECORDING_GB = String(1 / 1024 ** 2);
  try {
    const recBefore = await count('recording');
    const big = await recordings.POST(json({ runId }));
    assert.equal(big.status, 413);
    assert.match(((await big.json()) as { error: string }).error, /would store \d+\.\d KB, over the 1\.0 KB one recording may take \(CELLSCOPE_MAX_RECORDING_GB\)/);
    assert.equal(await count('recording'), recBefore);
  } finally {
    delete process.env.CELLSCOPE_MAX_RECORDING_GB;
  }

  const labels = await import('../../../app/api/corpora/[id]/labels/route.ts');
  const { MAX_LABEL_TRACKS } = await import('../../../lib/db/corpus-labels.ts');
  const track = (k: number) => json({ name: `t${k}`, spans: [{ start: 0, end: 2, label: 'x' }] });
  for (let k = 0; k < MAX_LABEL_TRACKS; k++) assert.equal((await labels.POST(track(k), params(String(corpusId)))).status, 201);
  const over = await labels.POST(track(99), params(String(corpusId)));
  assert.equal(over.status, 409);
  assert.match(((await over.json()) as { error: string }).error, /already holds 16 of your label tracks/);
  assert.equal(await db.prisma.corpusLabels.count({ where: { corpusId } }), MAX_LABEL_TRACKS);
});
