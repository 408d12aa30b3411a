// npm run bench:export: issue 12's export figures. A 1,000,000-step recording of War and Peace by a
// 1×512 LSTM (states c and h: 2 GB of float16), then `cellscope export` of its whole h as .npy
// (a 2 GB file) and of the whole recording as an LSTMVis project (4 GB of HDF5), each in a child
// process, printing the time, the rate and the child's peak RSS: memory must stay bounded however
// large the export. --steps N / --hidden H for a shorter run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name: string, fallback: number): number => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const STEPS = arg('steps', 1_000_000);
const HIDDEN = arg('hidden', 512);

const dir = mkdtempSync(join(tmpdir(), 'cellscope-export-bench-'));
process.env.DATABASE_URL = `file:${join(dir, 'export.db')}`;
process.env.CELLSCOPE_DEMO = '0';
const { openDb } = await import('../../lib/db/client.ts');
const { trainedRun, recordedRange } = await import('../helpers/recorded-run.ts');
const db = await openDb(process.env.DATABASE_URL);
const book = readFileSync(join(process.cwd(), '..', 'shared', 'corpora', 'war_and_peace.txt'), 'utf8');
let t0 = performance.now();
// Two training steps: the export's cost does not depend on what the weights learned.
const { runId } = await trainedRun(db, book, { hidden: HIDDEN, batch: 8, seq: 32, steps: 2, checkpointEvery: 2, evalEvery: 2, evalChars: 1000 });
const recordingId = await recordedRange(db, { runId, start: 0, end: Math.min(STEPS, book.length), gates: false });
const rec = await db.prisma.recording.findUniqueOrThrow({ where: { id: recordingId } });
await db.close();
const T = rec.end - rec.start;
console.log(`recording ${recordingId}: ${T.toLocaleString('en-US')} steps × ${rec.hidden} cells (c, h), made in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

/** Runs the CLI under GNU time: seconds and peak RSS (its %M, KiB) of the exporting process. */
function timedExport(args: string[]): { seconds: number; peak: number } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kib %M', process.execPath, 'bin/cellscope.js', 'export', '--recording', String(recordingId), ...args], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`export failed: ${r.stderr}`);
  return { seconds: (performance.now() - t) / 1000, peak: Number(/peak-rss-kib (\d+)/.exec(r.stderr)?.[1] ?? NaN) * 1024 };
}

const out = join(dir, 'h.npy');
const npy = timedExport(['--layer', '0', '--quantity', 'h', '--format', 'npy', '--out', out]);
const bytes = statSync(out).size;
rmSync(out);
console.log(`export of h as .npy: ${(bytes / 1e9).toFixed(2)} GB in ${npy.seconds.toFixed(1)} s (${(bytes / 1e6 / npy.seconds).toFixed(0)} MB/s, ${(T / npy.seconds).toFixed(0)} steps/s)`);
console.log(`  peak RSS of the exporting process: ${(npy.peak / 1e6).toFixed(0)} MB (${((100 * npy.peak) / bytes).toFixed(1)}% of the file it wrote)`);
const project = join(dir, 'lstmvis');
const lv = timedExport(['--format', 'lstmvis', '--out', project]);
const lvBytes = ['states.h5', 'train.h5', 'words.dict', 'lstm.yml'].reduce((a, f) => a + statSync(join(project, f)).size, 0);
console.log(`export as an LSTMVis project (c and h): ${(lvBytes / 1e9).toFixed(2)} GB in ${lv.seconds.toFixed(1)} s (${(lvBytes / 1e6 / lv.seconds).toFixed(0)} MB/s)`);
console.log(`  peak RSS of the exporting process: ${(lv.peak / 1e6).toFixed(0)} MB (h5wasm's disk build included)`);
rmSync(dir, { recursive: true, force: true });
