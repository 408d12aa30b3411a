import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Issue 5's endpoints (cells, feature, neuron, gates, saliency), called directly with real
// Requests against a real (temp) database holding a small trained and recorded model.
const dir = mkdtempSync(join(tmpdir(), 'cellscope-rec-api-'));
process.env.DATABASE_URL = `file:${join(dir, 'api.db')}`;

const { getDb } = await import('../../../lib/db/client.ts');
const { createCorpus } = await import('../../../lib/db/corpora.ts');
const { jobContext } = await import('../../../lib/jobs/job-context.ts');
const { executeRecordJob } = await import('../../../lib/jobs/record-job.ts');
const { executeTrainJob } = await import('../../../lib/jobs/train-job.ts');
const { startRecording } = await import('../../../lib/record/start-recording.ts');
const { parseTrainConfig } = await import('../../../lib/train/config.ts');
const { startTrainingRun } = await import('../../../lib/train/start-run.ts');
const recordings = await import('../../../app/api/recordings/route.ts');
const cellsRoute = await import('../../../app/api/recordings/[id]/cells/route.ts');
const featureRoute = await import('../../../app/api/recordings/[id]/feature/route.ts');
const neuronRoute = await import('../../../app/api/recordings/[id]/neuron/route.ts');
const gatesRoute = await import('../../../app/api/recordings/[id]/gates/route.ts');
const saliencyRoute = await import('../../../app/api/recordings/[id]/saliency/route.ts');
const decayRoute = await import('../../../app/api/recordings/[id]/saliency/decay/route.ts');

const TEXT = 'if (a) { b("x"); }\n'.repeat(60);
let runId = 0;
let recId = '';
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const get = (path: string) => new Request(`http://localhost${path}`);
async function body(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

before(async () => {
  const db = await getDb();
  const corpus = await createCorpus(db, { name: 'code', text: TEXT });
  const config = parseTrainConfig({ layers: 1, hidden: 16, batch: 4, seq: 16, steps: 10, learningRate: 0.02, evalEvery: 10, checkpointEvery: 10, evalChars: 200 });
  const started = await startTrainingRun(db, { corpusId: corpus.id, config, claim: true });
  runId = started.runId;
  await executeTrainJob(db, jobContext(db, started.jobId), runId);
  const rec = await startRecording(db, { runId, start: 0, end: 800 });
  await db.prisma.job.update({ where: { id: rec.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, rec.jobId), rec.recordingId);
  recId = String(rec.recordingId);
});
after(async () => {
  await (await getDb()).close();
  rmSync(dir, { recursive: true, force: true });
});

test('cells and feature windows: 200 with the ranking; a bad regex or an unknown feature is a 400 naming the field', async () => {
  const ok = await cellsRoute.GET(get(`/api/recordings/${recId}/cells?feature=if&limit=3`), params(recId));
  assert.equal(ok.status, 200);
  assert.equal(((await body(ok)).cells as unknown[]).length, 3);
  const bad = await cellsRoute.GET(get(`/api/recordings/${recId}/cells?feature=regex&regex=(`), params(recId));
  assert.equal(bad.status, 400);
  assert.match(String((await body(bad)).error), /invalid regular expression/);
  const unknown = await featureRoute.GET(get(`/api/recordings/${recId}/feature?feature=sarcasm&start=0&end=10`), params(recId));
  assert.equal(unknown.status, 400);
  assert.equal((await body(unknown)).field, 'feature');
  const quote = await featureRoute.GET(get(`/api/recordings/${recId}/feature?feature=quote&start=0&end=19`), params(recId));
  assert.deepEqual((await body(quote)).values, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  const outside = await featureRoute.GET(get(`/api/recordings/${recId}/feature?feature=quote&start=700&end=900`), params(recId));
  assert.equal(outside.status, 400);
});

test('neuron and gates: 200 with the statistics; a quantity the recording lacks is a 400', async () => {
  const n = await neuronRoute.GET(get(`/api/recordings/${recId}/neuron?layer=0&quantity=c&cell=2`), params(recId));
  assert.equal(n.status, 200);
  const nb = await body(n);
  assert.equal((nb.top as unknown[]).length, 8);
  assert.equal(typeof nb.mean, 'number');
  const bad = await neuronRoute.GET(get(`/api/recordings/${recId}/neuron?layer=0&quantity=z&cell=2`), params(recId));
  assert.equal(bad.status, 400);
  assert.equal((await body(bad)).field, 'quantity');
  const g = await gatesRoute.GET(get(`/api/recordings/${recId}/gates`), params(recId));
  assert.equal(g.status, 200);
  assert.equal(((await body(g)).points as unknown[]).length, 3 * 16);
  const none = await gatesRoute.GET(get('/api/recordings/999/gates'), params('999'));
  assert.equal(none.status, 404);
});

test('saliency: 200 per input; a position outside the recording, a foreign target or a bad window is a 400', async () => {
  const ok = await saliencyRoute.GET(get(`/api/recordings/${recId}/saliency?pos=100&window=10`), params(recId));
  assert.equal(ok.status, 200);
  const b = await body(ok);
  assert.equal((b.inputs as unknown[]).length, 10);
  assert.equal(b.stored, false);
  for (const [q, field] of [['pos=800', 'pos'], ['pos=-1', 'pos'], ['pos=10&target=%C3%9F', 'target'], ['pos=10&window=0', 'window'], ['pos=abc', 'pos']] as const) {
    const res = await saliencyRoute.GET(get(`/api/recordings/${recId}/saliency?${q}`), params(recId));
    assert.equal(res.status, 400, q);
    assert.equal((await body(res)).field, field, q);
  }
  const d = await decayRoute.GET(get(`/api/recordings/${recId}/saliency/decay?window=8&samples=12`), params(recId));
  assert.equal(d.status, 200);
  assert.equal(((await body(d)).meanGrad as unknown[]).length, 8);
});

test('POST /api/recordings with a saliency range outside the recorded one: 400 naming it, nothing stored', async () => {
  const db = await getDb();
  const before = await db.prisma.recording.count();
  const res = await recordings.POST(new Request('http://localhost/api/recordings', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ runId, start: 0, end: 500, saliency: { start: 400, end: 600 } }) }));
  assert.equal(res.status, 400);
  assert.equal((await body(res)).field, 'saliency.end');
  assert.equal(await db.prisma.recording.count(), before);
});

test('POST /api/models: 201 with the new run; a bad upload is a 400 naming the problem (413 over the limit), nothing stored', async () => {
  const modelsRoute = await import('../../../app/api/models/route.ts');
  const { saveTfjsModel } = await import('../../helpers/tfjs-model-files.ts');
  const { tf } = await import('../../../lib/tf/backend.ts');
  const db = await getDb();
  const corpus = await db.prisma.corpus.findFirstOrThrow();
  const chars = JSON.parse(corpus.vocab) as string[];
  const keras = tf.sequential();
  keras.add(tf.layers.gru({ units: 16, returnSequences: true, inputShape: [null, chars.length] }));
  keras.add(tf.layers.dense({ units: chars.length, activation: 'softmax' }));
  const { modelJson, files } = await saveTfjsModel(keras);
  keras.dispose();
  const form = (parts: { json?: boolean; bin?: Uint8Array<ArrayBuffer>; corpusId?: string; vocab?: string }): Request => {
    const f = new FormData();
    if (parts.json !== false) f.append('files', new File([JSON.stringify(modelJson)], 'model.json'));
    if (parts.bin) f.append('files', new File([parts.bin], 'group1-shard1of1.bin'));
    f.append('corpusId', parts.corpusId ?? String(corpus.id));
    if (parts.vocab) f.append('vocab', new File([parts.vocab], 'vocab.json'));
    return new Request('http://localhost/api/models', { method: 'POST', body: f });
  };
  const bin = Uint8Array.from(files.get('group1-shard1of1.bin') as Uint8Array);
  const runsBefore = await db.prisma.run.count();
  const ok = await modelsRoute.POST(form({ bin }));
  assert.equal(ok.status, 201);
  const created = await body(ok);
  assert.equal(typeof created.runId, 'number');
  assert.match(String(created.summary), /GRU\(16, hard_sigmoid gates\)/);
  assert.equal(await db.prisma.run.count(), runsBefore + 1);
  for (const [req, field, pattern] of [
    [form({ json: false, bin }), 'files', /needs a model.json/],
    [form({}), 'weights', /was not uploaded/],
    [form({ bin: bin.subarray(0, 100) }), 'weights', /runs past the end/],
    [form({ bin, corpusId: 'x' }), 'corpusId', /corpusId/],
    [form({ bin, vocab: '[1, 2]' }), 'vocab', /must be a JSON object/],
  ] as const) {
    const res = await modelsRoute.POST(req);
    assert.equal(res.status, 400, String(pattern));
    const b = await body(res);
    assert.equal(b.field, field);
    assert.match(String(b.error), pattern);
  }
  const notMultipart = await modelsRoute.POST(new Request('http://localhost/api/models', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }));
  assert.equal(notMultipart.status, 400);
  const big = await modelsRoute.POST(new Request('http://localhost/api/models', { method: 'POST', body: 'x', headers: { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(10 ** 10) } }));
  assert.equal(big.status, 413);
  assert.equal(await db.prisma.run.count(), runsBefore + 1, 'refused uploads store nothing');
});

test('POST /api/lstmvis: a zipped project imports (201); a body without lstm.yml is a 400 naming files; nothing stored', async () => {
  const lstmvisRoute = await import('../../../app/api/lstmvis/route.ts');
  const { writeLstmvisProject } = await import('../../helpers/lstmvis-project.ts');
  const { zipSync } = await import('fflate');
  const { readdirSync, readFileSync, mkdtempSync: mk } = await import('node:fs');
  const project = join(mk(join(tmpdir(), 'cellscope-lv-')), 'p');
  await writeLstmvisProject(project, { words: ['x', 'y'], ids: Array.from({ length: 100 }, (_, t) => (t % 2) + 1), cells: 3, states: { states1: Float32Array.from({ length: 300 }, (_, i) => Math.cos(i)) } });
  const zip = zipSync(Object.fromEntries(readdirSync(project).map((f) => [f, new Uint8Array(readFileSync(join(project, f)))])));
  const db = await getDb();
  const before = await db.prisma.corpus.count();
  const f = new FormData();
  f.append('files', new File([Uint8Array.from(zip)], 'project.zip'));
  const ok = await lstmvisRoute.POST(new Request('http://localhost/api/lstmvis', { method: 'POST', body: f }));
  assert.equal(ok.status, 201);
  const b = await body(ok);
  assert.deepEqual([b.unit, b.timesteps, b.hidden], ['char', 100, 3]);
  const g = new FormData();
  g.append('files', new File(['x 1\n'], 'words.dict'));
  const bad = await lstmvisRoute.POST(new Request('http://localhost/api/lstmvis', { method: 'POST', body: g }));
  assert.equal(bad.status, 400);
  assert.equal((await body(bad)).field, 'files');
  // Folder names that are not files (issue 11, finding 21): 400s that show no server path.
  const yml = readFileSync(join(project, 'lstm.yml'));
  for (const names of [['lstm.yml', '.'], ['lstm.yml', 'x/'], ['lstm.yml', 'a', 'a/b']]) {
    const form = new FormData();
    for (const n of names) form.append('files', new File([n === 'lstm.yml' ? Uint8Array.from(yml) : 'x'], n));
    const res = await lstmvisRoute.POST(new Request('http://localhost/api/lstmvis', { method: 'POST', body: form }));
    const err = await body(res);
    assert.equal(res.status, 400, `${names.join(' + ')}: ${String(err.error)}`);
    assert.ok(!String(err.error).includes(tmpdir()), String(err.error));
  }
  assert.equal(await db.prisma.corpus.count(), before + 1);
  rmSync(project, { recursive: true, force: true });
});

test('POST /api/recordings with gates: false stores only c and h; the gate plot is empty and a gate quantity is a 400; a non-boolean is a 400', async () => {
  const db = await getDb();
  const post = (payload: unknown): Promise<Response> => recordings.POST(new Request('http://localhost/api/recordings', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) }));
  const before = await db.prisma.recording.count();
  const bad = await post({ runId, end: 300, gates: 'no' });
  assert.equal(bad.status, 400);
  assert.equal((await body(bad)).field, 'gates');
  assert.equal(await db.prisma.recording.count(), before, 'nothing stored for the bad request');
  const res = await post({ runId, start: 0, end: 300, gates: false });
  assert.equal(res.status, 201);
  const { recordingId, jobId } = (await body(res)) as { recordingId: number; jobId: number };
  await db.prisma.job.update({ where: { id: jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, jobId), recordingId);
  const rows = await db.prisma.stateChunk.findMany({ where: { recordingId }, select: { quantity: true }, distinct: ['quantity'] });
  assert.deepEqual(rows.map((r) => r.quantity).sort(), ['c', 'h', 'next.prob', 'top.index', 'top.prob']);
  const gates = await gatesRoute.GET(get(`/api/recordings/${recordingId}/gates`), params(String(recordingId)));
  assert.equal(gates.status, 200);
  assert.deepEqual((await body(gates)).gates, []);
  const neuron = await neuronRoute.GET(get(`/api/recordings/${recordingId}/neuron?layer=0&quantity=f&cell=0`), params(String(recordingId)));
  assert.equal(neuron.status, 400);
  assert.match(String((await body(neuron)).error), /quantity must be one of c, h/);
  const ok = await neuronRoute.GET(get(`/api/recordings/${recordingId}/neuron?layer=0&quantity=c&cell=3`), params(String(recordingId)));
  assert.equal(ok.status, 200);

  // The storage estimate the record form shows equals the bytes stored, for both recordings.
  const { alikeLayers, recordingSize } = await import('../../../lib/search/recording-size.ts');
  const storedBytes = async (id: number): Promise<number> => {
    let sum = 0;
    for (const table of ['StateChunk', 'CellTrack', 'CellColumn']) {
      const [row] = await db.raw.query<{ b: number }>(`SELECT COALESCE(SUM(LENGTH("data")), 0) AS "b" FROM "${table}" WHERE "recordingId" = ?`, [id]);
      sum += Number(row?.b ?? 0);
    }
    return sum;
  };
  assert.equal(recordingSize(300, alikeLayers(1, 16, ['c', 'h'])).total, await storedBytes(recordingId));
  assert.equal(recordingSize(800, alikeLayers(1, 16, ['c', 'h', 'i', 'f', 'o', 'g'])).total, await storedBytes(Number(recId)));
});

test('window cells are deduplicated and capped; steps a recording does not hold are a 409, not zeros (issue 11, findings 10 and 16)', async () => {
  const windowRoute = await import('../../../app/api/recordings/[id]/window/route.ts');
  const predictionsRoute = await import('../../../app/api/recordings/[id]/predictions/route.ts');
  const once = await windowRoute.GET(get(`/api/recordings/${recId}/window?layer=0&quantity=h&start=0&end=50&cells=3,3,3,5,3`), params(recId));
  assert.equal(once.status, 200);
  assert.deepEqual((await body(once)).cells, [3, 5]);
  const many = Array.from({ length: 7000 }, (_, k) => k % 16).join(',');
  const huge = await windowRoute.GET(get(`/api/recordings/${recId}/window?layer=0&quantity=h&start=0&end=20000&cells=${many}`), params(recId));
  assert.equal(huge.status, 200, 'the 7,000 repeats are 16 distinct cells');
  const wide = Array.from({ length: 200 }, (_, k) => k).join(',');
  const refused = await windowRoute.GET(get(`/api/recordings/${recId}/window?layer=0&quantity=h&start=0&end=20000&cells=${wide}`), params(recId));
  assert.equal(refused.status, 400);
  assert.match(String((await body(refused)).error), /at most 2,000,000 values/);

  // A recording still running holds only the chunks written so far.
  const db = await getDb();
  const rec = await startRecording(db, { runId, start: 0, end: 800 });
  const queued = await windowRoute.GET(get(`/api/recordings/${rec.recordingId}/window?layer=0&quantity=h&start=0&end=50`), params(String(rec.recordingId)));
  assert.equal(queued.status, 409);
  assert.match(String((await body(queued)).error), /holds no layer 0 h states from step 0 on .*not recorded there \(yet\)/);
  const done = await db.prisma.stateChunk.findMany({ where: { recordingId: Number(recId), chunk: 0 } });
  for (const c of done) await db.prisma.stateChunk.create({ data: { ...c, recordingId: rec.recordingId } });
  const first = await windowRoute.GET(get(`/api/recordings/${rec.recordingId}/window?layer=0&quantity=h&start=0&end=50`), params(String(rec.recordingId)));
  assert.equal(first.status, 200, 'the recorded chunk reads');
  assert.equal((await db.prisma.recording.findUniqueOrThrow({ where: { id: rec.recordingId } })).chunkSize, 256);
  const later = await windowRoute.GET(get(`/api/recordings/${rec.recordingId}/window?layer=0&quantity=h&start=0&end=800`), params(String(rec.recordingId)));
  assert.equal(later.status, 409);
  assert.match(String((await body(later)).error), /from step 256 on/);
  const preds = await predictionsRoute.GET(get(`/api/recordings/${rec.recordingId}/predictions?start=0&end=800`), params(String(rec.recordingId)));
  assert.equal(preds.status, 409);
  assert.match(String((await body(preds)).error), /holds no predictions from step 256 on/);
  await db.prisma.recording.delete({ where: { id: rec.recordingId } });
});

test('DELETE recordings, runs and corpora: their stored data goes; work in progress is a 409; an import killed midway is removed (issue 11, finding 15)', async () => {
  const recordingById = await import('../../../app/api/recordings/[id]/route.ts');
  const runById = await import('../../../app/api/runs/[id]/route.ts');
  const corpusById = await import('../../../app/api/corpora/[id]/route.ts');
  const { requeueOrphanedJobs } = await import('../../../lib/db/jobs.ts');
  const del = (path: string) => new Request(`http://localhost${path}`, { method: 'DELETE' });
  const db = await getDb();
  const rec = await startRecording(db, { runId, start: 0, end: 300 });
  const busy = await recordingById.DELETE(del(`/api/recordings/${rec.recordingId}`), params(String(rec.recordingId)));
  assert.equal(busy.status, 409, 'a queued recording is cancelled first');
  await db.prisma.job.update({ where: { id: rec.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, rec.jobId), rec.recordingId);
  assert.ok((await db.prisma.stateChunk.count({ where: { recordingId: rec.recordingId } })) > 0);
  const ok = await recordingById.DELETE(del(`/api/recordings/${rec.recordingId}`), params(String(rec.recordingId)));
  assert.equal(ok.status, 200);
  for (const table of ['stateChunk', 'cellTrack', 'cellColumn', 'neuronStat'] as const) {
    assert.equal(await (db.prisma[table] as unknown as { count(a: unknown): Promise<number> }).count({ where: { recordingId: rec.recordingId } }), 0, table);
  }
  assert.equal((await recordingById.DELETE(del('/api/recordings/999'), params('999'))).status, 404);

  // An LSTMVis import whose process died: its job's lease ran out, and the partial import goes.
  const corpus = await createCorpus(db, { name: 'partial', text: 'abcabc' });
  const run = await db.prisma.run.create({ data: { name: 'p', corpusId: corpus.id, arch: 'lstm', config: '{}', status: 'completed' } });
  const ck = await db.prisma.checkpoint.create({ data: { runId: run.id, step: 0, trainLoss: 0, weights: new Uint8Array(0) } });
  const partial = await db.prisma.recording.create({ data: { runId: run.id, checkpointId: ck.id, corpusId: corpus.id, start: 0, end: 6, quantities: '["h"]', layers: 1, hidden: 2, chunkSize: 256, codec: 'f16', status: 'running', origin: 'lstmvis' } });
  await db.prisma.job.create({ data: { kind: 'import', status: 'running', payload: '{}', runId: run.id, recordingId: partial.id, leaseOwner: 'gone/1/x', leaseExpiresAt: new Date(Date.now() - 1000) } });
  assert.equal((await corpusById.DELETE(del(`/api/corpora/${corpus.id}`), params(String(corpus.id)))).status, 409, 'not while its job holds a lease');
  await requeueOrphanedJobs(db);
  assert.equal(await db.prisma.corpus.count({ where: { id: corpus.id } }), 0);
  assert.equal(await db.prisma.recording.count({ where: { id: partial.id } }), 0);

  // A run, then a corpus, deleted whole.
  const other = await createCorpus(db, { name: 'gone', text: TEXT });
  const r2 = await db.prisma.run.create({ data: { name: 'x', corpusId: other.id, arch: 'lstm', config: '{}', status: 'completed' } });
  assert.equal((await runById.DELETE(del(`/api/runs/${r2.id}`), params(String(r2.id)))).status, 200);
  assert.equal(await db.prisma.run.count({ where: { id: r2.id } }), 0);
  assert.equal((await corpusById.DELETE(del(`/api/corpora/${other.id}`), params(String(other.id)))).status, 200);
  assert.equal(await db.prisma.corpus.count({ where: { id: other.id } }), 0);
});

test('run events send only the metric points a page has not seen (issue 11, finding 22)', async () => {
  const eventsRoute = await import('../../../app/api/runs/[id]/events/route.ts');
  const { listMetrics } = await import('../../../lib/db/run-metrics.ts');
  const all = await listMetrics(await getDb(), runId);
  assert.ok(all.length >= 2);
  const first = async (since: number): Promise<{ metrics: unknown[] }> => {
    const ac = new AbortController();
    const res = await eventsRoute.GET(new Request(`http://localhost/api/runs/${runId}/events?since=${since}`, { signal: ac.signal }), params(String(runId)));
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const { value } = await reader.read();
    ac.abort();
    await reader.cancel();
    return JSON.parse(new TextDecoder().decode(value).replace(/^data: /, '').trim()) as { metrics: unknown[] };
  };
  assert.equal((await first(0)).metrics.length, all.length);
  assert.equal((await first(all.length - 1)).metrics.length, 1);
  assert.equal((await first(all.length)).metrics.length, 0);
});

test('heavy requests run on compute threads: the web thread keeps answering while a saliency decay runs (issue 11, finding 11)', async () => {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const runsRoute = await import('../../../app/api/runs/route.ts');
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const heavy = decayRoute.GET(get(`/api/recordings/${recId}/saliency/decay?window=256&samples=256`), params(recId));
  // Meanwhile, other requests are answered at once.
  const quick: number[] = [];
  let settled = false;
  void heavy.finally(() => (settled = true));
  while (!settled) {
    const q0 = performance.now();
    assert.equal((await runsRoute.GET(get('/api/runs'))).status, 200);
    quick.push(performance.now() - q0);
    await new Promise((r) => setTimeout(r, 50));
  }
  const res = await heavy;
  delay.disable();
  assert.equal(res.status, 200);
  const took = performance.now() - t0;
  assert.ok(quick.length >= 3, `${quick.length} requests answered during a ${took.toFixed(0)} ms decay`);
  assert.ok(delay.max / 1e6 < 500, `the event loop stalled ${(delay.max / 1e6).toFixed(0)} ms`);
});
