/**
 * Per-cell summaries of a recording, computed in one pass over its stored states when it is
 * recorded (like Neuroscope's dataset examples), for the neuron pages and the gate saturation
 * plot:
 *   mean, std, min, max;
 *   a histogram (gates over [0, 1]; other quantities over [-HIST_RANGE, HIST_RANGE], values
 *   beyond it counted in the end bins), trimmed to the occupied bins;
 *   saturation: the fraction of steps low (< 0.1 for a gate, < -0.9 otherwise) and high
 *   (> 0.9 for both), Karpathy et al.'s left- and right-saturation for gates;
 *   the top-activating and most negative positions, one per SEGMENT steps at most and then
 *   kept apart by MIN_SEPARATION, so the examples are different stretches of text;
 *   the mean activation after each character (the state at p is after reading character p);
 *   Pearson correlation with each structural feature track given.
 */
import { kernels } from '../../models/fused/kernels.ts';

export const SEGMENT = 32;
/** Most per-token sums (cells × vocabulary) kept for the "fires most after" means: 16M doubles, 128 MB. */
export const MAX_CHAR_MEAN_SUMS = 16 * 1024 * 1024;
export const TOP_EXAMPLES = 8;
export const MIN_SEPARATION = 24;
export const HIST_RANGE = 8;
const FINE_BINS_GATE = 50;
const FINE_BINS_WIDE = 320;
const MAX_SHOWN_BINS = 48;
const CANDIDATES = 64;

export interface CellStat {
  cell: number;
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Fraction of steps below 0.1 (gates) or -0.9 (others). */
  low: number;
  /** Fraction of steps above 0.9. */
  high: number;
  hist: { lo: number; width: number; counts: number[] };
  /** Corpus positions and values, strongest first. */
  top: { pos: number; value: number }[];
  bottom: { pos: number; value: number }[];
  /** Characters after which the cell is highest / lowest on average (characters seen at least MIN_CHAR_COUNT times). */
  charsHigh: { char: string; mean: number; count: number }[];
  charsLow: { char: string; mean: number; count: number }[];
  /** Correlation with each feature given, strongest first. */
  features: { feature: string; r: number }[];
}

export interface FeatureInput {
  name: string;
  /** One value per recorded position. */
  track: Float32Array;
}

/** A fixed-size set of the best (pos, value) candidates: a min-heap on the value's strength. */
class Candidates {
  private pos = new Int32Array(CANDIDATES);
  private val = new Float64Array(CANDIDATES);
  size = 0;
  constructor(private readonly sign: 1 | -1) {}
  /** The weakest kept strength, or -Infinity while not full. */
  floor(): number {
    return this.size < CANDIDATES ? -Infinity : this.sign * (this.val[0] as number);
  }
  push(p: number, v: number): void {
    const s = this.sign * v;
    if (this.size < CANDIDATES) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.sign * (this.val[parent] as number) <= s) break;
        this.pos[i] = this.pos[parent] as number;
        this.val[i] = this.val[parent] as number;
        i = parent;
      }
      this.pos[i] = p;
      this.val[i] = v;
      return;
    }
    if (s <= this.floor()) return;
    // Replace the root and sift down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= CANDIDATES) break;
      const r = l + 1;
      const c = r < CANDIDATES && this.sign * (this.val[r] as number) < this.sign * (this.val[l] as number) ? r : l;
      if (this.sign * (this.val[c] as number) >= s) break;
      this.pos[i] = this.pos[c] as number;
      this.val[i] = this.val[c] as number;
      i = c;
    }
    this.pos[i] = p;
    this.val[i] = v;
  }
  /** Strongest first, then kept MIN_SEPARATION apart, at most TOP_EXAMPLES. */
  pick(): { pos: number; value: number }[] {
    const all = Array.from({ length: this.size }, (_, k) => ({ pos: this.pos[k] as number, value: this.val[k] as number }));
    all.sort((a, b) => this.sign * (b.value - a.value) || a.pos - b.pos);
    const out: { pos: number; value: number }[] = [];
    for (const c of all) {
      if (out.length >= TOP_EXAMPLES) break;
      if (out.every((o) => Math.abs(o.pos - c.pos) >= MIN_SEPARATION)) out.push(c);
    }
    return out;
  }
}

/**
 * Accumulates the statistics block by block in kernel memory (models/fused/assembly/stats.ts);
 * `finish` reads them back and frees it (`dispose` frees it on an error path).
 */
export class CellStatsAccumulator {
  private readonly H: number;
  private readonly gate: boolean;
  private readonly V: number;
  private readonly charMeans: boolean;
  private readonly F: number;
  private readonly lo: number;
  private readonly binWidth: number;
  private readonly bins: number;
  private n = 0;
  private readonly at: Record<'sum' | 'sq' | 'mn' | 'mx' | 'low' | 'high' | 'hist' | 'charSum' | 'featSum', number>;
  private charCount: Float64Array;
  private featStats: { sum: number; sq: number }[];
  private tops: Candidates[];
  private bottoms: Candidates[];
  private released = false;

  /**
   * `ids`: token id per recorded position (index 0: the recording's first); `chars`: the
   * vocabulary; `features`: tracks to correlate with (empty to skip).
   */
  constructor(
    H: number,
    gate: boolean,
    private readonly ids: Int32Array,
    private readonly chars: readonly string[],
    private readonly features: readonly FeatureInput[],
    /** Corpus position of index 0 (the recording's start): examples are reported at corpus positions. */
    private readonly origin = 0,
  ) {
    this.H = H;
    this.gate = gate;
    // Mean per token needs H × V sums: for a large word vocabulary that is too much memory, and
    // the page shows only the extremes anyway; then every step counts as one token (no means).
    this.charMeans = H * chars.length <= MAX_CHAR_MEAN_SUMS;
    this.V = this.charMeans ? chars.length : 1;
    this.F = features.length;
    this.lo = gate ? 0 : -HIST_RANGE;
    this.bins = gate ? FINE_BINS_GATE : FINE_BINS_WIDE;
    this.binWidth = (gate ? 1 : 2 * HIST_RANGE) / this.bins;
    const rt = kernels();
    const zeroed = (bytes: number): number => {
      const p = rt.alloc(Math.max(8, bytes));
      rt.zero(p, Math.max(8, bytes));
      return p;
    };
    this.at = {
      sum: zeroed(H * 8), sq: zeroed(H * 8), low: zeroed(H * 8), high: zeroed(H * 8),
      mn: rt.upload(new Float32Array(H).fill(Infinity)), mx: rt.upload(new Float32Array(H).fill(-Infinity)),
      hist: zeroed(H * this.bins * 4), charSum: zeroed(H * this.V * 8), featSum: zeroed(H * this.F * 8),
    };
    this.charCount = new Float64Array(this.V);
    this.featStats = features.map(() => ({ sum: 0, sq: 0 }));
    this.tops = Array.from({ length: H }, () => new Candidates(1));
    this.bottoms = Array.from({ length: H }, () => new Candidates(-1));
  }

  /**
   * Adds a block of timestep-major values [len][H] (as stored) for recorded positions
   * offset .. offset+len-1 (relative to the recording's start). Blocks must come in order and
   * start at multiples of SEGMENT, so segments never straddle two blocks.
   */
  addRows(rows: Float32Array, len: number, offset: number): void {
    if (this.released) throw new Error('cell stats: already finished');
    if (offset % SEGMENT !== 0) throw new Error(`cell stats: block offset ${offset} is not a multiple of ${SEGMENT}`);
    if (rows.length < len * this.H) throw new Error(`cell stats: ${rows.length} values for ${len} steps of ${this.H} cells`);
    const { H, F } = this;
    const ids = this.charMeans ? this.ids.subarray(offset, offset + len) : new Int32Array(len);
    for (let t = 0; t < len; t++) this.charCount[ids[t] as number]! += 1;
    const feats = new Float32Array(F * len);
    for (let f = 0; f < F; f++) {
      const tr = (this.features[f] as FeatureInput).track.subarray(offset, offset + len);
      feats.set(tr, f * len);
      const st = this.featStats[f] as { sum: number; sq: number };
      for (let t = 0; t < len; t++) {
        const x = tr[t] as number;
        st.sum += x;
        st.sq += x * x;
      }
    }
    const rt = kernels();
    const nSeg = Math.ceil(len / SEGMENT);
    const pRows = rt.upload(rows.subarray(0, len * H));
    const pIds = rt.upload(Int32Array.from(ids));
    const pFeats = rt.upload(feats.length ? feats : new Float32Array(1));
    const seg = [rt.alloc(nSeg * H * 4), rt.alloc(nSeg * H * 4), rt.alloc(nSeg * H * 4), rt.alloc(nSeg * H * 4)] as const;
    try {
      const a = this.at;
      rt.call('cellStatsRows', H, len, pRows, pIds, this.V, this.gate ? 0.1 : -0.9, this.lo, 1 / this.binWidth, this.bins, F, pFeats, SEGMENT,
        a.sum, a.sq, a.mn, a.mx, a.low, a.high, a.hist, a.charSum, a.featSum, seg[0], seg[1], seg[2], seg[3]);
      const segMax = rt.download(seg[0], nSeg * H);
      const segMaxAt = new Int32Array(rt.bytes(seg[1], nSeg * H * 4).slice().buffer);
      const segMin = rt.download(seg[2], nSeg * H);
      const segMinAt = new Int32Array(rt.bytes(seg[3], nSeg * H * 4).slice().buffer);
      const base = this.origin + offset;
      for (let c = 0; c < H; c++) {
        const top = this.tops[c] as Candidates;
        const bottom = this.bottoms[c] as Candidates;
        for (let s = 0; s < nSeg; s++) {
          const k = s * H + c;
          if ((segMax[k] as number) > top.floor()) top.push(base + (segMaxAt[k] as number), segMax[k] as number);
          if (-(segMin[k] as number) > bottom.floor()) bottom.push(base + (segMinAt[k] as number), segMin[k] as number);
        }
      }
    } finally {
      for (const p of [pRows, pIds, pFeats, ...seg]) rt.release(p);
    }
    this.n += len;
  }

  /** Frees the kernel memory without results (finish does it too). */
  dispose(): void {
    if (this.released) return;
    const rt = kernels();
    for (const p of Object.values(this.at)) rt.release(p);
    this.released = true;
  }

  finish(): CellStat[] {
    if (this.released) throw new Error('cell stats: already finished');
    const { H, V, n } = this;
    const rt = kernels();
    const f64 = (p: number, count: number): Float64Array => new Float64Array(rt.bytes(p, count * 8).slice().buffer);
    const a = this.at;
    const sum = f64(a.sum, H);
    const sq = f64(a.sq, H);
    const lowCount = f64(a.low, H);
    const highCount = f64(a.high, H);
    const min = rt.download(a.mn, H);
    const max = rt.download(a.mx, H);
    const hist = new Uint32Array(rt.bytes(a.hist, H * this.bins * 4).slice().buffer);
    const charSum = f64(a.charSum, H * V);
    const featSum = f64(a.featSum, H * this.F);
    this.dispose();
    const minCharCount = Math.max(5, Math.ceil(0.0005 * n));
    const out: CellStat[] = [];
    for (let c = 0; c < H; c++) {
      const mean = n ? (sum[c] as number) / n : 0;
      const variance = n ? Math.max(0, (sq[c] as number) / n - mean * mean) : 0;
      const chars: { char: string; mean: number; count: number }[] = [];
      for (let v = 0; v < V; v++) {
        const count = this.charCount[v] as number;
        if (this.charMeans && count >= minCharCount) chars.push({ char: this.chars[v] ?? '', mean: (charSum[c * V + v] as number) / count, count });
      }
      chars.sort((a, b) => b.mean - a.mean);
      const features = this.features.map((f, k) => {
        const st = this.featStats[k] as { sum: number; sq: number };
        const cov = n * (featSum[c * this.F + k] as number) - (sum[c] as number) * st.sum;
        const den = Math.sqrt(Math.max(0, n * (sq[c] as number) - (sum[c] as number) ** 2) * Math.max(0, n * st.sq - st.sum * st.sum));
        return { feature: f.name, r: den > 0 ? cov / den : 0 };
      });
      features.sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
      out.push({
        cell: c,
        count: n,
        mean,
        std: Math.sqrt(variance),
        min: n ? (min[c] as number) : 0,
        max: n ? (max[c] as number) : 0,
        low: n ? (lowCount[c] as number) / n : 0,
        high: n ? (highCount[c] as number) / n : 0,
        hist: this.shownHistogram(hist, c),
        top: (this.tops[c] as Candidates).pick(),
        bottom: (this.bottoms[c] as Candidates).pick(),
        charsHigh: chars.slice(0, 8),
        charsLow: chars.slice(-8).reverse(),
        features,
      });
    }
    return out;
  }

  /** The occupied span of the fine histogram, merged to at most MAX_SHOWN_BINS bins. */
  private shownHistogram(hist: Uint32Array, c: number): { lo: number; width: number; counts: number[] } {
    const fine = hist.subarray(c * this.bins, (c + 1) * this.bins);
    let first = 0;
    while (first < this.bins - 1 && fine[first] === 0) first++;
    let last = this.bins - 1;
    while (last > first && fine[last] === 0) last--;
    const span = last - first + 1;
    const merge = Math.max(1, Math.ceil(span / MAX_SHOWN_BINS));
    const counts: number[] = [];
    for (let b = first; b <= last; b += merge) {
      let s = 0;
      for (let k = b; k < Math.min(last + 1, b + merge); k++) s += fine[k] as number;
      counts.push(s);
    }
    return { lo: this.lo + first * this.binWidth, width: merge * this.binWidth, counts };
  }
}
