// Issue 5's work, timed (issue 5 names no targets; these are the figures to watch):
//   a. per-cell statistics of a block of 65,536 steps x 256 cells: the WebAssembly kernel
//      (lib/neurons/cell-stats.ts) against a plain JavaScript loop over the same rows (the
//      first implementation), with and without 8 feature correlations;
//   b. saliency at W = 64 on a 1x128 LSTM: batches of 32 positions against one at a time.
import { CellStatsAccumulator, SEGMENT } from '../../lib/neurons/cell-stats.ts';
import { createCharModel, disposeModel } from '../../models/char-model.ts';
import { saliencyBatch } from '../../models/saliency.ts';

/** The reference: the statistics pass as plain JavaScript over timestep-major rows (moments, extremes, saturation, histogram, character sums, segment peaks, feature sums). */
function jsStats(rows: Float32Array, T: number, H: number, ids: Int32Array, V: number, feats: Float32Array[]): number {
  const sum = new Float64Array(H);
  const sq = new Float64Array(H);
  const mn = new Float32Array(H).fill(Infinity);
  const mx = new Float32Array(H).fill(-Infinity);
  const low = new Float64Array(H);
  const high = new Float64Array(H);
  const bins = 320;
  const hist = new Uint32Array(H * bins);
  const chars = new Float64Array(H * V);
  const fs = new Float64Array(H * feats.length);
  const segMax = new Float32Array(H);
  for (let t = 0; t < T; t++) {
    const id = ids[t] as number;
    if (t % SEGMENT === 0) segMax.fill(-Infinity);
    for (let c = 0; c < H; c++) {
      const v = rows[t * H + c] as number;
      sum[c]! += v;
      sq[c]! += v * v;
      if (v < (mn[c] as number)) mn[c] = v;
      if (v > (mx[c] as number)) mx[c] = v;
      if (v < -0.9) low[c]!++;
      if (v > 0.9) high[c]!++;
      let b = Math.floor((v + 8) * 20);
      b = b < 0 ? 0 : b >= bins ? bins - 1 : b;
      hist[c * bins + b]!++;
      chars[c * V + id]! += v;
      if (v > (segMax[c] as number)) segMax[c] = v;
      for (let f = 0; f < feats.length; f++) fs[c * feats.length + f]! += v * ((feats[f] as Float32Array)[t] as number);
    }
  }
  return (sum[0] as number) + (hist[0] as number) + (fs[0] ?? 0);
}

export async function benchNeurons(quick: boolean): Promise<void> {
  const T = quick ? 16384 : 65536;
  const H = 256;
  const V = 65;
  const ids = Int32Array.from({ length: T }, (_, t) => (t * 7919) % V);
  const chars = Array.from({ length: V }, (_, k) => String.fromCodePoint(0x4e00 + k));
  const rows = Float32Array.from({ length: T * H }, (_, i) => Math.sin(i * 0.0007) * 1.6);
  const feats = Array.from({ length: 8 }, (_, f) => Float32Array.from({ length: T }, (_, t) => (f < 5 ? (t >> (f + 3)) & 1 : (t % (20 + f)) / 10)));
  const time = (fn: () => void): number => {
    fn(); // warm-up
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  for (const F of [0, 8]) {
    const kernel = time(() => {
      const acc = new CellStatsAccumulator(H, false, ids, chars, feats.slice(0, F).map((track, k) => ({ name: `f${k}`, track })));
      acc.addRows(rows, T, 0);
      acc.finish();
    });
    const js = time(() => void jsStats(rows, T, H, ids, V, feats.slice(0, F)));
    const ns = (ms: number): string => ((ms * 1e6) / (T * H)).toFixed(1);
    console.log(`stats  ${T} x ${H} block, ${F} features: kernel ${kernel.toFixed(0)} ms (${ns(kernel)} ns/value) · plain JS ${js.toFixed(0)} ms (${ns(js)} ns/value) · ${(js / kernel).toFixed(1)}x`);
  }
  const model = createCharModel({ arch: 'lstm', layers: 1, hidden: 128, vocabSize: V }, 3);
  try {
    const textIds = Int32Array.from({ length: 20000 }, (_, t) => (t * 31) % V);
    const W = 64;
    const n = quick ? 32 : 128;
    const positions = Array.from({ length: n }, (_, k) => 400 + k * 97);
    const t0 = performance.now();
    for (let i = 0; i < n; i += 32) {
      const b = positions.slice(i, i + 32);
      saliencyBatch(model, textIds, b.map((p) => p - W + 1), W, b.map((p) => textIds[p + 1] ?? 0), { burnIn: 128 });
    }
    const batched = (performance.now() - t0) / 1000;
    const single = quick ? 4 : 8;
    const t1 = performance.now();
    for (const p of positions.slice(0, single)) saliencyBatch(model, textIds, [p - W + 1], W, [textIds[p + 1] ?? 0], { burnIn: 128 });
    const one = (performance.now() - t1) / 1000 / single;
    console.log(`saliency 1x128 LSTM, W ${W}, burn-in 128: batches of 32 ${(n / batched).toFixed(0)} positions/s · one at a time ${(1 / one).toFixed(1)} positions/s (${(one * 1000).toFixed(0)} ms each)`);
  } finally {
    disposeModel(model);
  }
}
