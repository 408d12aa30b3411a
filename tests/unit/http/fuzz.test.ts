import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// Issue 11: a bounded fuzz of ~1,000 malformed requests across every API route, called in-process
// against a real database holding a trained, recorded model: no 5xx, nothing stored, memory bounded.
const dir = mkdtempSync(join(tmpdir(), 'cellscope-fuzz-'));
process.env.DATABASE_URL = `file:${join(dir, 'fuzz.db')}`;
process.env.CELLSCOPE_MAX_UPLOAD_MB = '1';

const { getDb } = await import('../../../lib/db/client.ts');
const { trainedRun, recordedRange } = await import('../../helpers/recorded-run.ts');
const { closeOffThreadPool } = await import('../../../lib/server/off-thread.ts');
const { mulberry32 } = await import('../../../lib/train/sample.ts');

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Route { path: string; methods: Record<string, Handler> }

const API = join(import.meta.dirname, '..', '..', '..', 'app', 'api');
function routeFiles(d: string): string[] {
  return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? routeFiles(join(d, n)) : n === 'route.ts' ? [join(d, n)] : []));
}

const VALID: Record<string, string> = {
  layer: '0', quantity: 'h', start: '0', end: '60', threshold: '0.5', feature: 'quote', pos: '20', window: '8', format: 'csv',
  cell: '2', cells: '1,2', limit: '5', q: 'the', from: '0', samples: '4', mode: 'threshold',
};
const JUNK = ['', '-1', '0', '1', '7', '-0', '1e309', 'NaN', 'Infinity', 'abc', '9'.repeat(30), '0.5', '1,2,,3', '(', '(\\w+\\s?)+$', 'h', 'c', 'f', 'true', '\u0000', 'ü😀', 'x'.repeat(3000), '1'.repeat(400), ' 1', '0x10', '[]', '{}', '%', '999999999', '2147483648'];
const EXTRA_KEYS = ['regex', 'target', 'offset', 'exactLength', 'minLength', 'maxLength', 'track', 'offBefore', 'offAfter', 'strips', 'since', 'bogus'];

let ids: { corpus: string; run: string; recording: string; job: string };
let routes: Route[] = [];

before(async () => {
  const db = await getDb();
  const text = 'She said "hello (there)" and left.\nIt was "late".\n'.repeat(30);
  const { corpusId, runId } = await trainedRun(db, text, { hidden: 16, batch: 4, seq: 16, steps: 4, checkpointEvery: 4, evalEvery: 4, evalChars: 100 });
  const recordingId = await recordedRange(db, { runId, start: 0, end: 600 });
  const job = await db.prisma.job.findFirstOrThrow({ where: { recordingId } });
  ids = { corpus: String(corpusId), run: String(runId), recording: String(recordingId), job: String(job.id) };
  for (const file of routeFiles(API).sort()) {
    const mod = (await import(file)) as Record<string, unknown>;
    const methods = Object.fromEntries(['GET', 'POST', 'DELETE'].filter((m) => typeof mod[m] === 'function').map((m) => [m, mod[m] as Handler]));
    routes.push({ path: `/api/${relative(API, file).replace(/\/?route\.ts$/, '')}`, methods });
  }
});
after(async () => {
  await closeOffThreadPool();
  await (await getDb()).close();
  rmSync(dir, { recursive: true, force: true });
});

async function counts(): Promise<number[]> {
  const db = await getDb();
  return Promise.all([db.prisma.corpus.count(), db.prisma.run.count(), db.prisma.recording.count(), db.prisma.job.count(), db.prisma.corpusLabels.count(), db.prisma.checkpoint.count(), db.prisma.stateChunk.count()]);
}

function randomJson(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * 9);
  if (depth > 2 || k < 3) return [null, true, -1, 0, 1e308, 'x', '', 2 ** 53 + 1, -0.5][Math.floor(r() * 9)];
  if (k < 6) return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth + 1));
  const keys = ['corpusId', 'runId', 'config', 'name', 'spans', 'start', 'end', 'label', 'hidden', 'layers', 'steps', 'saliency', 'gates', 'length', 'temperature', 'prime', 'task', 'archs', 'gaps', 'checkpointId', 'window', 'bogus'];
  return Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 4) }, () => [keys[Math.floor(r() * keys.length)] as string, randomJson(r, depth + 1)]));
}

function requestFor(r: () => number, route: Route, method: string): { req: Request; id: string; abort: AbortController } {
  const idPool = [ids.corpus, ids.run, ids.recording, ids.job, '0', '-3', 'abc', '99999', '1e3', ''];
  // Deleting the fixtures is not what a fuzz checks: DELETE gets only ids that name nothing.
  const id = method === 'DELETE' ? (['0', 'abc', '99999', '-1'][Math.floor(r() * 4)] as string) : (idPool[Math.floor(r() * idPool.length)] as string);
  const path = route.path.replace('[id]', encodeURIComponent(id));
  const abort = new AbortController();
  if (method === 'GET' || method === 'DELETE') {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(VALID)) if (r() < 0.6) q.set(k, v);
    for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
      const keys = [...Object.keys(VALID), ...EXTRA_KEYS];
      q.set(keys[Math.floor(r() * keys.length)] as string, JUNK[Math.floor(r() * JUNK.length)] as string);
    }
    return { req: new Request(`http://localhost${path}?${q}`, { method, signal: abort.signal }), id, abort };
  }
  const kind = r();
  let init: RequestInit;
  if (kind < 0.5) init = { headers: { 'content-type': 'application/json' }, body: JSON.stringify(randomJson(r)) };
  else if (kind < 0.6) init = { headers: { 'content-type': 'application/json' }, body: '{"corpusId": 1, ' };
  else if (kind < 0.7) init = { headers: { 'content-type': 'text/plain' }, body: '{"corpusId": 1}' };
  else if (kind < 0.85) {
    const form = new FormData();
    const junk = Uint8Array.from({ length: Math.floor(r() * 2000) }, () => Math.floor(r() * 256));
    for (const field of ['file', 'files', 'corpusId', 'vocab', 'name', 'unit']) if (r() < 0.5) form.append(field, r() < 0.5 ? new File([junk], ['x.zip', 'model.json', 'lstm.yml', 'a/../b', '.', 'c.txt'][Math.floor(r() * 6)] as string) : (JUNK[Math.floor(r() * JUNK.length)] as string));
    init = { body: form };
  } else init = { headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: '--zz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n\u0000\u0001--' };
  return { req: new Request(`http://localhost${path}`, { method, signal: abort.signal, ...init }), id, abort };
}

test('~1,000 malformed requests across every route: no 5xx, nothing stored, memory bounded', { timeout: 600_000 }, async () => {
  const r = mulberry32(20261202); // seeded, so a failure reproduces
  const before = await counts();
  const rss0 = process.memoryUsage().rss;
  const statuses = new Map<number, number>();
  let sent = 0;
  const targets = routes.flatMap((route) => Object.keys(route.methods).map((m) => ({ route, method: m })));
  assert.ok(targets.length >= 30, `${targets.length} route methods`);
  for (let k = 0; k < 1000; k++) {
    const { route, method } = targets[k % targets.length] as { route: Route; method: string };
    const { req, id, abort } = requestFor(r, route, method);
    const res = await (route.methods[method] as Handler)(req, { params: Promise.resolve({ id }) });
    sent++;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    const text = res.headers.get('content-type')?.includes('event-stream') ? '' : await res.text();
    abort.abort();
    await res.body?.cancel().catch(() => {});
    assert.ok(res.status < 500, `${method} ${req.url} -> ${res.status} ${text.slice(0, 300)}`);
  }
  assert.equal(sent, 1000);
  assert.deepEqual(await counts(), before, 'nothing stored');
  const grown = (process.memoryUsage().rss - rss0) / 1024 ** 2;
  assert.ok(grown < 400, `memory grew ${grown.toFixed(0)} MB`);
  assert.ok((statuses.get(400) ?? 0) > 100, `statuses: ${JSON.stringify([...statuses])}`);
});
