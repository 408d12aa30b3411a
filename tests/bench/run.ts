// npm run bench: the figures issues 2 and 3 ask for, measured on this machine in one run.
//   1. training throughput (chars/s) of 1x128, 2x256 and 2x512 char-LSTMs and 1x128 GRU / RNN on
//      tiny Shakespeare on the fused kernels (and the tfjs cells at 1x128), the same in PyTorch
//      with the matmul peak when python3-torch is there, and validation bpc on both engines
//   2. recording throughput (chars/s, all six quantities + predictions written to SQLite) and its
//      ratio to training; then the states only (c, h) against all six
//   3. window read latency: 500 timesteps x 512 cells from a 1M-timestep SQLite recording
//   4. select & match latency on 1M x 512 states of a trained model, against a naive full scan
//   5. neuron statistics (kernel vs plain JS) and saliency throughput (tests/bench/neurons-bench.ts)
// Flags: --quick (fewer steps, 200k-timestep read test) for a smoke run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBackend } from '../../lib/tf/backend.ts';
import { buildVocab, encode } from '../../lib/corpus/vocab.ts';
import { trainEndFor } from '../../lib/corpus/split.ts';
import { parseTrainConfig } from '../../lib/train/config.ts';
import { trainCharModel } from '../../lib/train/trainer.ts';
import { recordStates } from '../../lib/record/recorder.ts';
import { writeChunks } from '../../lib/record/chunk-store.ts';
import { startChunkWriter } from '../../lib/record/chunk-writer.ts';
import { readStateRows } from '../../lib/record/window.ts';
import { DEFAULT_CHUNK_SIZE } from '../../lib/record/quantities.ts';
import { createCharModel, disposeModel } from '../../models/char-model.ts';
import { openDb } from '../../lib/db/client.ts';
import type { Architecture } from '../../models/architectures.ts';
import { kernels } from '../../models/fused/kernels.ts';
import { benchMatch } from './match-bench.ts';
import { benchNeurons } from './neurons-bench.ts';

const quick = process.argv.includes('--quick');
const backend = await ensureBackend();
const corpusPath = join(process.cwd(), '..', 'shared', 'corpora', 'tinyshakespeare.txt');
const text = readFileSync(corpusPath, 'utf8');
const vocab = buildVocab(text);
const ids = encode(text, vocab);
const trainEnd = trainEndFor(ids.length);
console.log(`cellscope bench · tfjs backend ${backend} · node ${process.version} · tiny Shakespeare ${ids.length} chars, vocab ${vocab.chars.length}${quick ? ' · QUICK' : ''}`);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

// 1. Training throughput, compute only (the trainer excludes evaluation and checkpoints), on the
// fused kernels (models/fused), for issue 2's LSTMs and issue 3's table (2x512 LSTM, GRU, RNN),
// with the tfjs cells (the reference engine) at 1x128 for comparison.
type TrainCase = { arch: Architecture; layers: number; hidden: number; steps: number; engine: 'fused' | 'tfjs' };
const trainCases: TrainCase[] = [
  { arch: 'lstm', layers: 1, hidden: 128, steps: quick ? 10 : 60, engine: 'fused' },
  { arch: 'lstm', layers: 2, hidden: 256, steps: quick ? 4 : 20, engine: 'fused' },
  { arch: 'lstm', layers: 2, hidden: 512, steps: quick ? 3 : 10, engine: 'fused' },
  { arch: 'gru', layers: 1, hidden: 128, steps: quick ? 10 : 60, engine: 'fused' },
  { arch: 'rnn', layers: 1, hidden: 128, steps: quick ? 10 : 60, engine: 'fused' },
  { arch: 'lstm', layers: 1, hidden: 128, steps: quick ? 4 : 15, engine: 'tfjs' },
];
/** Training FLOPs per character: forward matmuls of every layer and the read-out, x3 for backward. */
function trainFlopsPerChar(c: { arch: string; layers: number; hidden: number }, vocabSize: number): number {
  const blocks = c.arch === 'lstm' ? 4 : c.arch === 'gru' ? 3 : 1;
  let f = 2 * c.hidden * vocabSize;
  for (let l = 0; l < c.layers; l++) f += 2 * ((l === 0 ? vocabSize : c.hidden) + c.hidden) * blocks * c.hidden;
  return 3 * f;
}
const rt = kernels();
console.log(`engine fused kernels: ${rt.variant} WebAssembly, ${rt.threads} thread(s)`);
const wasmPeak = gemmPeak(1024);
console.log(`peak   single-precision matmul 1024^3 on the fused kernels: ${wasmPeak.toFixed(1)} GFLOP/s`);
const ours = new Map<string, number>();
const key = (c: { arch: string; layers: number; hidden: number }): string => `${c.arch}:${c.layers}x${c.hidden}`;
for (const c of trainCases) {
  const warm = 3;
  const config = parseTrainConfig({ arch: c.arch, layers: c.layers, hidden: c.hidden, batch: 32, seq: 64, steps: warm + c.steps, evalEvery: 1_000_000, checkpointEvery: 1_000_000, evalChars: 64, engine: c.engine });
  const rates: number[] = [];
  await trainCharModel({
    config,
    vocabSize: vocab.chars.length,
    trainIds: ids.subarray(0, trainEnd),
    valIds: ids.subarray(trainEnd, trainEnd + 200),
    progressEvery: 1,
    onProgress: (p) => {
      if (p.step > warm) rates.push(p.point.charsPerSec);
    },
  });
  const median = pct(rates, 50);
  if (c.engine === 'fused') ours.set(key(c), median);
  const gflops = (median * trainFlopsPerChar(c, vocab.chars.length)) / 1e9;
  console.log(`train  ${c.layers}x${c.hidden} ${c.arch.toUpperCase()} (${c.engine})  batch 32 x seq 64, Adam: ${Math.round(median)} chars/s median over ${rates.length} steps (min ${Math.round(Math.min(...rates))}, max ${Math.round(Math.max(...rates))}) = ${gflops.toFixed(2)} GFLOP/s`);
}

/** GFLOP/s of the fused kernels' threaded gemm on n x n x n. */
function gemmPeak(n: number): number {
  const a = rt.upload(new Float32Array(n * n).fill(0.5));
  const b = rt.upload(new Float32Array(n * n).fill(0.25));
  const c = rt.alloc(n * n * 4);
  rt.gemm(n, n, n, a, n, 1, b, n, c, n, false);
  const reps = 5;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) rt.gemm(n, n, n, a, n, 1, b, n, c, n, false);
  const secs = (performance.now() - t0) / 1000 / reps;
  [a, b, c].forEach((p) => rt.release(p));
  return (2 * n ** 3) / secs / 1e9;
}

// 1b. The same workloads in PyTorch (Debian's python3-torch) in its best setting here, and the
// machine's single-precision matmul peak, when torch is installed.
const torchCases = trainCases.filter((c) => c.engine === 'fused');
const torchRun = spawnSync('/usr/bin/python3', [
  join(process.cwd(), 'tests', 'bench', 'torch_char_rnn.py'),
  '--corpus', corpusPath,
  '--configs', torchCases.map((c) => `${c.arch}:${c.layers}:${c.hidden}:${Math.max(c.steps, 10)}`).join(','),
], { encoding: 'utf8', env: torchEnv(), timeout: 600_000 });
if (torchRun.status !== 0) {
  console.log(`pytorch: skipped (${(torchRun.stderr || torchRun.error?.message || 'python3-torch not available').trim().split('\n').at(-1)}); install Debian's python3-torch to compare`);
} else {
  const lines = torchRun.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; gflops?: number; arch?: string; layers?: number; hidden?: number; charsPerSec?: number; threads?: number; torch?: string });
  const peak = lines.find((l) => l.kind === 'peak')?.gflops ?? NaN;
  console.log(`peak   single-precision matmul 1024^3 (torch ${lines[0]?.torch}, best of 1 and 2 threads): ${peak.toFixed(1)} GFLOP/s`);
  for (const l of lines.filter((x) => x.kind === 'train')) {
    const c = torchCases.find((t) => key(t) === key({ arch: l.arch ?? '', layers: l.layers ?? 0, hidden: l.hidden ?? 0 }));
    if (!c) continue;
    const mine = ours.get(key(c)) ?? NaN;
    const flops = trainFlopsPerChar(c, vocab.chars.length);
    console.log(
      `vs torch ${c.layers}x${c.hidden} ${c.arch.toUpperCase()}: cellscope ${Math.round(mine)} chars/s (${((100 * mine * flops) / 1e9 / peak).toFixed(1)}% of peak), ` +
        `pytorch ${Math.round(l.charsPerSec ?? NaN)} chars/s with ${l.threads} thread(s) (${((100 * (l.charsPerSec ?? NaN) * flops) / 1e9 / peak).toFixed(1)}% of peak), ratio ${(mine / (l.charsPerSec ?? NaN)).toFixed(3)}`,
    );
  }
}

/** PyTorch's best setting here: OpenBLAS's own kernels (CORETYPE unset), one OpenBLAS thread. */
function torchEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '2' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

// 1c. Speed must not change the maths: the same 1x128 LSTM run on both engines, validation bpc.
{
  const steps = quick ? 20 : 150;
  const vals: string[] = [];
  for (const engine of ['fused', 'tfjs'] as const) {
    const config = parseTrainConfig({ arch: 'lstm', layers: 1, hidden: 128, batch: 32, seq: 64, steps, evalEvery: steps, checkpointEvery: 1_000_000, evalChars: 20_000, engine });
    const r = await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds: ids.subarray(0, trainEnd), valIds: ids.subarray(trainEnd) });
    vals.push(`${engine} ${r.valBpc.toFixed(4)}`);
  }
  console.log(`same maths  1x128 LSTM after ${steps} steps, validation bpc: ${vals.join(' vs ')}`);
}

// 2. Recording throughput into SQLite (c, h, i, f, o, g as float16 + top-5 + true-next), and its
// ratio to the training throughput of the same model measured above; then states only (c, h).
const dir = mkdtempSync(join(tmpdir(), 'cellscope-bench-'));
try {
  const db = await openDb(`file:${join(dir, 'bench.db')}`);
  for (const [layers, hidden] of [[1, 128], [2, 256], [2, 512]] as const) {
    const n = quick ? 20_000 : layers === 1 ? 400_000 : hidden === 256 ? 100_000 : 40_000;
    const model = createCharModel({ arch: 'lstm', layers, hidden, vocabSize: vocab.chars.length }, 1);
    await db.raw.run('INSERT INTO "Corpus" ("id","name","text","chars","vocab","trainEnd","createdAt") VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING', [1, 'bench', '', 0, '[]', 0, new Date().toISOString()]);
    await db.raw.run('INSERT INTO "Run" ("id","name","corpusId","arch","config","status","step","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING', [1, 'bench', 1, 'lstm', '{}', 'completed', 0, new Date().toISOString(), new Date().toISOString()]);
    await db.raw.run('INSERT INTO "Checkpoint" ("id","runId","step","trainLoss","weights","position","createdAt") VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING', [1, 1, 0, 0, new Uint8Array(1), 0, new Date().toISOString()]);
    // Every quantity, then the states only (c, h: `gates: false`), one after the other.
    let allRate = NaN;
    for (const quantities of [undefined, ['c', 'h']]) {
      let bytes = 0;
      const recId = 1000 + layers * 1000 + hidden + (quantities ? 1 : 0);
      await db.raw.run('INSERT INTO "Recording" ("id","runId","checkpointId","corpusId","start","end","quantities","layers","hidden","chunkSize","codec","status","createdAt") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)', [recId, 1, 1, 1, 0, n, '[]', layers, hidden, DEFAULT_CHUNK_SIZE, 'f16', 'running', new Date().toISOString()]);
      const t0 = performance.now();
      // As the recording job does: chunks stored on the writer thread while the next block runs.
      const writer = startChunkWriter(db.target, recId);
      const result = await recordStates({
        model, ids, start: 0, end: n, burnIn: 128, ...(quantities ? { quantities } : {}),
        onChunks: async (rows) => {
          for (const r of rows) bytes += r.data.byteLength;
          await writer.write(rows);
        },
      });
      await writer.flush();
      await writer.close();
      const secs = (performance.now() - t0) / 1000;
      const train = ours.get(key({ arch: 'lstm', layers, hidden })) ?? NaN;
      const what = quantities ? 'states only (c, h)' : 'all quantities';
      const versus = quantities ? `${(result.charsPerSec / allRate).toFixed(2)}x all quantities` : `${(result.charsPerSec / train).toFixed(2)}x training`;
      if (!quantities) allRate = result.charsPerSec;
      console.log(`record ${layers}x${hidden} LSTM  ${n} chars, ${what} to SQLite: ${Math.round(result.charsPerSec)} chars/s (${(bytes / 1048576).toFixed(0)} MiB in ${secs.toFixed(1)} s) = ${versus}`);
    }
    disposeModel(model);
  }
  await db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// 3. Window reads: one quantity of a 512-cell layer over 1M timesteps, float16 chunks in SQLite.
const dir2 = mkdtempSync(join(tmpdir(), 'cellscope-bench-'));
try {
  const T = quick ? 200_000 : 1_000_000;
  const H = 512;
  const db = await openDb(`file:${join(dir2, 'read.db')}`);
  const now = new Date().toISOString();
  await db.raw.run('INSERT INTO "Corpus" ("id","name","text","chars","vocab","trainEnd","createdAt") VALUES (1,\'b\',\'\',0,\'[]\',0,?)', [now]);
  await db.raw.run('INSERT INTO "Run" ("id","name","corpusId","arch","config","status","step","createdAt","updatedAt") VALUES (1,\'b\',1,\'lstm\',\'{}\',\'completed\',0,?,?)', [now, now]);
  await db.raw.run('INSERT INTO "Checkpoint" ("id","runId","step","trainLoss","weights","position","createdAt") VALUES (1,1,0,0,?,0,?)', [new Uint8Array(1), now]);
  await db.raw.run('INSERT INTO "Recording" ("id","runId","checkpointId","corpusId","start","end","quantities","layers","hidden","chunkSize","codec","status","createdAt") VALUES (1,1,1,1,0,?,\'["h"]\',1,?,?,\'f16\',\'completed\',?)', [T, H, DEFAULT_CHUNK_SIZE, now]);
  const chunk = DEFAULT_CHUNK_SIZE;
  // Plausible tanh-range float16 values (content does not change read cost: blobs are not compressed).
  const payload = new Uint16Array(chunk * H);
  for (let k = 0; k < payload.length; k++) payload[k] = 0x3000 + ((k * 2654435761) >>> 22);
  const tw = performance.now();
  for (let c = 0; c * chunk < T; c += 64) {
    const rows = [];
    for (let j = c; j < Math.min(c + 64, Math.ceil(T / chunk)); j++) {
      const length = Math.min(chunk, T - j * chunk);
      rows.push({ layer: 0, quantity: 'h', chunk: j, start: j * chunk, length, data: new Uint8Array(payload.buffer, 0, length * H * 2) });
    }
    await writeChunks(db.raw, 1, rows);
  }
  const writeSecs = (performance.now() - tw) / 1000;
  const size = statSync(join(dir2, 'read.db')).size;
  console.log(`store  ${T} timesteps x ${H} cells float16: ${(size / 1048576).toFixed(0)} MiB written at ${(size / 1048576 / writeSecs).toFixed(0)} MiB/s`);
  const rec = { id: 1, start: 0, end: T, stack: [{ units: H }], chunkSize: chunk };
  let seed = 12345;
  const lat: number[] = [];
  for (let k = 0; k < 300; k++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const s = seed % (T - 500);
    const t0 = performance.now();
    const w = await readStateRows(db.raw, rec, 0, 'h', s, s + 500);
    lat.push(performance.now() - t0);
    if (w.values.length !== 500 * H) throw new Error('short read');
  }
  lat.splice(0, 20); // warm-up
  console.log(`read   500 x ${H} window (decoded to float32) from ${T} timesteps: median ${pct(lat, 50).toFixed(2)} ms, p90 ${pct(lat, 90).toFixed(2)} ms, max ${Math.max(...lat).toFixed(2)} ms over ${lat.length} random windows (target < 5 ms; prototype: 200 x 512 under 1 ms)`);
  await db.close();
} finally {
  rmSync(dir2, { recursive: true, force: true });
}

// 4. LSTMVis select & match on a 1M x 512 recording of a real model, against a naive scan.
await benchMatch(ids, vocab.chars.length, trainEnd, quick, pct);

// 5. Neuron statistics and saliency (issue 5).
await benchNeurons(quick);
