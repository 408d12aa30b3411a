import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';

// Issue 11, one contract for the API: every route of the contract is called here, on a real
// database in shared mode (owners and all), and its answer is parsed with the contract's own
// strict response schema, the one the OpenAPI document and the typed client are made from. The
// routes run in checked mode too (lib/http/respond.ts), so an answer that drifts is a 500 there.
const dir = mkdtempSync(join(tmpdir(), 'cellscope-contract-'));
process.env.DATABASE_URL = `file:${join(dir, 'contract.db')}`;
process.env.CELLSCOPE_AUTH = 'on';
process.env.CELLSCOPE_CHECK_RESPONSES = '1';
const { getDb } = await import('../../../lib/db/client.ts');
const { addUser } = await import('../../../lib/auth/users.ts');
const { createApiToken } = await import('../../../lib/auth/tokens.ts');
const { ENDPOINTS } = await import('../../../lib/http/api-contract.ts');
const { closeOffThreadPool } = await import('../../../lib/server/off-thread.ts');
const { recordedRange, trainedRun } = await import('../../helpers/recorded-run.ts');

const APP = join(import.meta.dirname, '..', '..', '..', 'app');
type Handler = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;

/** The route module's handler for "METHOD /api/path/{id}", as Next would call it. */
async function handler(key: string): Promise<Handler> {
  const [method = '', path = ''] = key.split(' ');
  const mod = (await import(join(APP, path.replace(/\{id\}/g, '[id]'), 'route.ts'))) as Record<string, Handler>;
  const h = mod[method];
  if (!h) throw new Error(`${key}: no handler`);
  return h;
}

let token = '';
const ids = { corpus: 0, run: 0, recording: 0, labs: 0, labels: 0, spareCorpus: 0, queuedRun: 0, queuedRecording: 0, queuedJob: 0 };
const TEXT = 'if (a) { b("x"); }\n'.repeat(60);

before(async () => {
  const db = await getDb();
  await addUser(db, { email: 'ada@lab.example', password: 'a long enough passphrase', isAdmin: true });
  token = (await createApiToken(db, { email: 'ada@lab.example', scope: 'write' })).token;
  const { corpusId, runId } = await trainedRun(db, TEXT, { layers: 1, hidden: 16, batch: 4, seq: 16, steps: 10, learningRate: 0.02, evalEvery: 10, checkpointEvery: 10, evalChars: 200 });
  ids.corpus = corpusId;
  ids.run = runId;
  ids.recording = await recordedRange(db, { runId, start: 0, end: 800, saliency: { start: 100, end: 200, window: 8 } });
  // Made in local mode's way (owner null): Ada takes them, so her token reaches every route.
  const user = await db.prisma.user.findFirstOrThrow();
  for (const model of ['corpus', 'run', 'recording', 'job'] as const) await (db.prisma[model] as unknown as { updateMany: (a: unknown) => Promise<unknown> }).updateMany({ data: { ownerId: user.id } });
});
after(async () => {
  delete process.env.CELLSCOPE_AUTH;
  delete process.env.CELLSCOPE_CHECK_RESPONSES;
  await closeOffThreadPool();
  await (await getDb()).close();
  rmSync(dir, { recursive: true, force: true });
});

interface Call {
  id?: number;
  query?: Record<string, string | number>;
  body?: unknown;
  form?: FormData;
  /** Not Ada's token: the login route takes a password, logging out a session cookie. */
  anonymous?: boolean;
  cookie?: string;
}

async function call(key: string, c: Call = {}): Promise<Response> {
  const [method = '', path = ''] = key.split(' ');
  const url = new URL(`http://localhost${path.replace('{id}', String(c.id ?? 0))}`);
  for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = c.cookie ? { cookie: c.cookie } : c.anonymous ? {} : { authorization: `Bearer ${token}` };
  let body: BodyInit | undefined;
  if (c.form) body = c.form;
  else if (c.body !== undefined) {
    body = JSON.stringify(c.body);
    headers['content-type'] = 'application/json';
  }
  return (await handler(key))(new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }), { params: Promise.resolve({ id: String(c.id ?? 0) }) });
}

const checked = new Set<string>();

/** Calls a route, expects its success status, and parses the answer with its contract. */
let lastCookie = '';
async function conforms(key: string, c: Call = {}): Promise<Record<string, unknown>> {
  const endpoint = ENDPOINTS.find((e) => `${e.method} ${e.path}` === key);
  assert.ok(endpoint, `${key} is in the contract`);
  const res = await call(key, c);
  lastCookie = res.headers.get('set-cookie')?.split(';')[0] ?? lastCookie;
  const text = await res.text();
  assert.equal(res.status, endpoint.ok, `${key}: ${text.slice(0, 400)}`);
  const schema = endpoint.response as z.ZodType;
  const parsed = schema.safeParse(JSON.parse(text));
  assert.ok(parsed.success, `${key}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  checked.add(key);
  return JSON.parse(text) as Record<string, unknown>;
}

/** An event-stream route: its first data event parses with the contract's event schema. */
async function eventsConform(key: string, c: Call): Promise<void> {
  const endpoint = ENDPOINTS.find((e) => `${e.method} ${e.path}` === key);
  assert.ok(endpoint?.events);
  const res = await call(key, c);
  assert.equal(res.status, 200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let text = '';
  while (!/^data: .*\n\n/m.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  const line = /^data: (.*)$/m.exec(text)?.[1];
  assert.ok(line, `${key}: an event`);
  const parsed = endpoint.events.safeParse(JSON.parse(line));
  assert.ok(parsed.success, `${key}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`);
  checked.add(key);
}

test('sessions, corpora and label tracks answer as their contract says', async () => {
  await conforms('GET /api/session');
  await conforms('POST /api/session', { anonymous: true, body: { email: 'ada@lab.example', password: 'a long enough passphrase' } });
  assert.match(lastCookie, /=/);
  await conforms('DELETE /api/session', { cookie: lastCookie });
  await conforms('GET /api/corpora');
  const form = new FormData();
  form.append('file', new File(['a spare corpus to delete. '.repeat(20)], 'spare.txt'));
  ids.spareCorpus = ((await conforms('POST /api/corpora', { form })).corpus as { id: number }).id;
  await conforms('GET /api/corpora/{id}', { id: ids.corpus });
  ids.labels = (await conforms('POST /api/corpora/{id}/labels', { id: ids.corpus, body: { name: 'halves', spans: [{ start: 0, end: 500, label: 'early' }, { start: 500, end: 1000, label: 'late' }] } })).id as number;
  await conforms('GET /api/corpora/{id}/labels', { id: ids.corpus });
  await conforms('DELETE /api/corpora/{id}', { id: ids.spareCorpus });
});

test('runs and jobs answer as their contract says, their event streams too', async () => {
  await conforms('GET /api/runs');
  await conforms('GET /api/runs/{id}', { id: ids.run });
  await conforms('POST /api/runs/{id}/sample', { id: ids.run, body: { length: 20, seed: 3 } });
  const patched = await conforms('POST /api/runs/{id}/patch', { id: ids.run, body: { clean: 'if (a) { b("x', corrupt: 'if (a) { b( x', target: '"' } });
  assert.equal((patched.patches as unknown[]).length, 2, 'h and c of the one layer');
  const spectrum = await conforms('GET /api/runs/{id}/spectrum', { id: ids.run });
  assert.equal(((spectrum.layers as { eigenvalues: unknown[] }[])[0]?.eigenvalues ?? []).length, 16);
  const flow = await conforms('GET /api/runs/{id}/gradient-flow', { id: ids.run, query: { positions: 4, distance: 20 } });
  assert.deepEqual((flow.layers as { curves: { quantity: string; mean: unknown[] }[] }[])[0]?.curves.map((c) => [c.quantity, c.mean.length]), [['h', 20], ['c', 20]]);
  const jac = await conforms('GET /api/runs/{id}/jacobian', { id: ids.run, query: { start: 100, length: 10 } });
  assert.equal((jac.radius as number[]).length, 10);
  assert.equal(jac.stateSize, 32, 'h and c of 16 cells');
  const fixed = await conforms('GET /api/runs/{id}/fixed-points', { id: ids.run, query: { input: ' ', starts: 6 } });
  assert.equal((fixed.trajectory as { pc: unknown[] }).pc.length, (fixed.trajectory as { chars: unknown[] }).chars.length);
  await eventsConform('GET /api/runs/{id}/events', { id: ids.run });
  const created = await conforms('POST /api/runs', { body: { corpusId: ids.corpus, config: { hidden: 16, steps: 5, batch: 4, seq: 16 } } });
  ids.queuedRun = created.runId as number;
  await conforms('GET /api/jobs/{id}', { id: created.jobId as number });
  await eventsConform('GET /api/jobs/{id}/events', { id: created.jobId as number });
  await conforms('POST /api/runs/{id}/cancel', { id: ids.queuedRun });
  await conforms('DELETE /api/runs/{id}', { id: ids.queuedRun });
  const rec = await conforms('POST /api/recordings', { body: { runId: ids.run, start: 0, end: 100 } });
  ids.queuedRecording = rec.recordingId as number;
  await conforms('POST /api/jobs/{id}/cancel', { id: rec.jobId as number });
  await conforms('DELETE /api/recordings/{id}', { id: ids.queuedRecording });
});

test('a recording and everything read from it answer as their contract says', async () => {
  const id = ids.recording;
  await conforms('GET /api/recordings');
  await conforms('GET /api/recordings/{id}', { id });
  await conforms('GET /api/recordings/{id}/window', { id, query: { layer: 0, quantity: 'c', start: 10, end: 60, cells: '0,3' } });
  await conforms('GET /api/recordings/{id}/text', { id, query: { start: 0, end: 40 } });
  await conforms('GET /api/recordings/{id}/predictions', { id, query: { start: 0, end: 40 } });
  await conforms('GET /api/recordings/{id}/search', { id, query: { q: 'if', from: 5 } });
  const selection = await conforms('GET /api/recordings/{id}/select', { id, query: { layer: 0, quantity: 'h', start: 19, end: 38, threshold: 0.3 } });
  const cells = (selection.cells as number[]).length ? (selection.cells as number[]).join(',') : '0,1';
  await conforms('GET /api/recordings/{id}/match', { id, query: { layer: 0, quantity: 'h', start: 19, end: 38, threshold: 0.3, cells, strips: 1, track: ids.labels } });
  await conforms('GET /api/recordings/{id}/match', { id, query: { layer: 0, quantity: 'h', start: 19, end: 38, threshold: 0.3, cells, mode: 'soft', limit: 5 } });
  await conforms('GET /api/recordings/{id}/cells', { id, query: { feature: 'bracket', limit: 5 } });
  await conforms('GET /api/recordings/{id}/feature', { id, query: { feature: 'line', start: 0, end: 40 } });
  await conforms('GET /api/recordings/{id}/neuron', { id, query: { layer: 0, quantity: 'c', cell: 2 } });
  await conforms('GET /api/recordings/{id}/gates', { id });
  const stored = await conforms('GET /api/recordings/{id}/saliency', { id, query: { pos: 150, window: 8 } });
  assert.equal(stored.stored, true);
  await conforms('GET /api/recordings/{id}/saliency/decay', { id, query: { window: 8, samples: 6 } });
  const effect = await conforms('POST /api/recordings/{id}/intervene', { id, body: { layer: 0, quantity: 'c', cells: [2, 5], set: 'zero', where: 'feature:bracket', start: 100, end: 400 } });
  assert.equal((effect.deltaLogp as unknown[]).length, 300);
  const queued = await conforms('POST /api/recordings/{id}/causal-rank', { id, body: { layer: 0, target: '(', start: 100, end: 400 } });
  await conforms('GET /api/recordings/{id}/analyses', { id });
  assert.equal((await conforms('GET /api/recordings/{id}/analysis', { id, query: { analysisId: queued.analysisId as number } })).status, 'queued');
  // The worker's part, here: then the result answers as the contract says too.
  const db = await getDb();
  await db.prisma.job.update({ where: { id: queued.jobId as number }, data: { status: 'running' } });
  const { executeAnalysisJob } = await import('../../../lib/jobs/analysis-job.ts');
  const { jobContext } = await import('../../../lib/jobs/job-context.ts');
  const ctx = jobContext(db, queued.jobId as number);
  await executeAnalysisJob(db, ctx, queued.analysisId as number).finally(() => ctx.release());
  const done = await conforms('GET /api/recordings/{id}/analysis', { id, query: { analysisId: queued.analysisId as number } });
  assert.equal((done.result as { cells: unknown[] }).cells.length, 16);
  const file = await call('GET /api/recordings/{id}/export', { id, query: { layer: 0, quantity: 'h', start: 0, end: 10, format: 'json' } });
  assert.equal(file.status, 200);
  assert.match(file.headers.get('content-disposition') ?? '', /attachment/);
  await file.arrayBuffer();
  checked.add('GET /api/recordings/{id}/export');
});

test('labs, imports, sharing and the admin page answer as their contract says', async () => {
  const lab = await conforms('POST /api/labs', { body: { task: 'copy', archs: ['lstm'], gaps: [2], hidden: 16, steps: 10, examples: 200 } });
  ids.labs = lab.labId as number;
  await conforms('GET /api/labs');
  await conforms('GET /api/labs/{id}', { id: ids.labs });

  const { saveTfjsModel } = await import('../../helpers/tfjs-model-files.ts');
  const { tf } = await import('../../../lib/tf/backend.ts');
  const db = await getDb();
  const chars = JSON.parse((await db.prisma.corpus.findUniqueOrThrow({ where: { id: ids.corpus } })).vocab) as string[];
  const keras = tf.sequential();
  keras.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, chars.length] }));
  keras.add(tf.layers.dense({ units: chars.length, activation: 'softmax' }));
  const { modelJson, files } = await saveTfjsModel(keras);
  keras.dispose();
  const model = new FormData();
  model.append('files', new File([JSON.stringify(modelJson)], 'model.json'));
  for (const [name, bytes] of files) model.append('files', new File([Uint8Array.from(bytes)], name));
  model.append('corpusId', String(ids.corpus));
  await conforms('POST /api/models', { form: model });

  const { writeLstmvisProject } = await import('../../helpers/lstmvis-project.ts');
  const project = join(dir, 'lstmvis');
  await writeLstmvisProject(project, { words: ['x', 'y'], ids: Array.from({ length: 60 }, (_, t) => (t % 2) + 1), cells: 3, states: { states1: Float32Array.from({ length: 180 }, (_, i) => Math.sin(i)) } });
  const lv = new FormData();
  for (const f of readdirSync(project)) lv.append('files', new File([Uint8Array.from(readFileSync(join(project, f)))], f));
  await conforms('POST /api/lstmvis', { form: lv });

  await addUser(db, { email: 'bob@lab.example', password: 'another long passphrase' });
  for (const [res, id] of [['corpora', ids.corpus], ['runs', ids.run], ['recordings', ids.recording], ['labs', ids.labs], ['labels', ids.labels]] as const) {
    await conforms(`POST /api/${res}/{id}/sharing`, { id, body: { visibility: 'shared', users: ['bob@lab.example'] } });
    await conforms(`GET /api/${res}/{id}/sharing`, { id });
  }
  await conforms('GET /api/admin');
});

test('every route of the contract was called above and answered as it says', () => {
  const all = ENDPOINTS.map((e) => `${e.method} ${e.path}`);
  assert.deepEqual(all.filter((k) => !checked.has(k)), []);
  // Each success is described: JSON (response), an event stream (events) or a file (download).
  assert.deepEqual(ENDPOINTS.filter((e) => [e.response, e.events, e.download].filter((x) => x !== undefined).length !== 1).map((e) => `${e.method} ${e.path}`), []);
});

test('checked mode: a route whose answer breaks its contract is a 500 that says nothing of why, and its log does', async () => {
  const { respond } = await import('../../../lib/http/respond.ts');
  const { apiRoute } = await import('../../../lib/http/api-route.ts');
  const { corpusResponseSchema } = await import('../../../lib/http/schemas/corpora.ts');
  const logged: unknown[] = [];
  const error = console.error;
  console.error = (e: unknown) => logged.push(e);
  try {
    const db = await getDb();
    const { getCorpusSummary } = await import('../../../lib/db/corpora.ts');
    const corpus = await getCorpusSummary(db, ids.corpus);
    // As if lib grew a field the contract does not name (the compiler sees a wider object, not a literal).
    const grown = { ...corpus, passwordHash: 'x' };
    const route = apiRoute(async () => respond(corpusResponseSchema, { corpus: grown }));
    const res = await route(new Request('http://localhost/api/corpora/1', { headers: { authorization: `Bearer ${token}` } }));
    assert.equal(res.status, 500);
    assert.doesNotMatch(await res.text(), /passwordHash/);
    assert.match(String(logged[0]), /does not match its contract: corpus: Unrecognized key: "passwordHash"/);
  } finally {
    console.error = error;
  }
});
