import { kernels, splitRows } from '../../models/fused/kernels.ts';
import { TopK } from './top-k.ts';

/**
 * The soft match LSTMVis lacks: the windows of the selection's length whose selected-cell
 * activations are closest to the selection's, by cosine similarity over all those values
 * (cells × steps), for patterns a threshold misses. Every window start of the recording is
 * scored (dot products in WebAssembly, split over the threads; window norms from prefix sums);
 * the best windows are taken greedily without overlapping one another.
 */
export interface SoftMatch {
  start: number;
  end: number;
  /** Cosine similarity with the selection, in [-1, 1]. */
  score: number;
}

export interface SoftMatchQuery {
  /** Steps and selected cells of `cols` ([C][T]). */
  T: number;
  C: number;
  /** The selection [start, end), 0-based steps. */
  start: number;
  end: number;
  limit: number;
  offset?: number;
  /** A corpus of sequences: steps where a sequence starts; no window spans one. */
  boundaries?: Int32Array;
}

/** cols [C][T]: the selected cells' values. */
export function softMatch(cols: Float32Array, q: SoftMatchQuery): SoftMatch[] {
  const { T, C, start, end, limit } = q;
  const offset = q.offset ?? 0;
  const L = end - start;
  if (!(L >= 1 && start >= 0 && end <= T)) throw new RangeError(`selection [${start}, ${end}) outside ${T} steps`);
  const tmpl = new Float32Array(C * L);
  let tnorm2 = 0;
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < L; j++) {
      const v = cols[c * T + start + j] as number;
      tmpl[c * L + j] = v;
      tnorm2 += v * v;
    }
  }
  if (tnorm2 === 0) return [];
  const n = T - L + 1;
  const dots = correlateAll(cols, T, L, C, tmpl, n);
  // Squared norms of every window: prefix sums over steps of the cells' squared values.
  const prefix = new Float64Array(T + 1);
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let c = 0; c < C; c++) {
      const v = cols[c * T + t] as number;
      s += v * v;
    }
    prefix[t + 1] = (prefix[t] as number) + s;
  }
  // Boundaries at or before each step, to leave out windows that cross into another sequence.
  const crossings = new Int32Array(T + 1);
  for (const b of q.boundaries ?? []) if (b > 0 && b < T) crossings[b] = 1;
  for (let t = 1; t <= T; t++) crossings[t] = (crossings[t] as number) + (crossings[t - 1] as number);
  const need = offset + limit;
  const pool = new TopK<SoftMatch>(Math.min(n, need * 20 + 64), (a, b) => b.score - a.score || a.start - b.start);
  const tnorm = Math.sqrt(tnorm2);
  for (let a = 0; a < n; a++) {
    if ((crossings[a + L - 1] as number) - (crossings[a] as number) > 0) continue;
    const wn2 = (prefix[a + L] as number) - (prefix[a] as number);
    if (wn2 <= 1e-12) continue;
    pool.offer({ start: a, end: a + L, score: (dots[a] as number) / (Math.sqrt(wn2) * tnorm) });
  }
  const taken: SoftMatch[] = [];
  const used: [number, number][] = [];
  for (const m of pool.sorted()) {
    if (used.some(([s, e]) => m.start < e && s < m.end)) continue;
    taken.push({ ...m, score: Math.max(-1, Math.min(1, m.score)) });
    used.push([m.start, m.end]);
    if (taken.length >= need) break;
  }
  return taken.slice(offset, offset + limit);
}

function correlateAll(cols: Float32Array, T: number, L: number, C: number, tmpl: Float32Array, n: number): Float32Array {
  const rt = kernels();
  const colsAt = rt.upload(cols);
  const tmplAt = rt.upload(tmpl);
  const outAt = rt.alloc(n * 4);
  try {
    rt.parallel('correlate', splitRows(n, rt.threads, 4).map(([a0, a1]) => [T, L, C, colsAt, tmplAt, outAt, a0, a1]));
    return rt.download(outAt, n);
  } finally {
    [colsAt, tmplAt, outAt].forEach((p) => rt.release(p));
  }
}

/**
 * Each cell's values over its own range (max |v| over the recording), so that every selected
 * cell weighs alike in the cosine: a counter-like c running to −250 next to a quote cell within
 * ±2 would otherwise be all the soft match sees.
 */
export function scaledByRange(cols: Float32Array, cells: number): Float32Array {
  const T = cols.length / Math.max(1, cells);
  for (let c = 0; c < cells; c++) {
    const row = cols.subarray(c * T, (c + 1) * T);
    let max = 0;
    for (const v of row) max = Math.max(max, Math.abs(v));
    if (max > 0) for (let t = 0; t < T; t++) row[t] = (row[t] as number) / max;
  }
  return cols;
}
