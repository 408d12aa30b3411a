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
export const SEGMENT = 32;
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

export class CellStatsAccumulator {
  private readonly H: number;
  private readonly gate: boolean;
  private readonly V: number;
  private readonly lo: number;
  private readonly binWidth: number;
  private readonly bins: number;
  private n = 0;
  private sum: Float64Array;
  private sq: Float64Array;
  private min: Float64Array;
  private max: Float64Array;
  private lowCount: Float64Array;
  private highCount: Float64Array;
  private hist: Uint32Array;
  private charSum: Float64Array;
  private charCount: Float64Array;
  private featSum: Float64Array;
  private featStats: { sum: number; sq: number }[];
  private tops: Candidates[];
  private bottoms: Candidates[];

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
    this.V = chars.length;
    this.lo = gate ? 0 : -HIST_RANGE;
    this.bins = gate ? FINE_BINS_GATE : FINE_BINS_WIDE;
    this.binWidth = (gate ? 1 : 2 * HIST_RANGE) / this.bins;
    this.sum = new Float64Array(H);
    this.sq = new Float64Array(H);
    this.min = new Float64Array(H).fill(Infinity);
    this.max = new Float64Array(H).fill(-Infinity);
    this.lowCount = new Float64Array(H);
    this.highCount = new Float64Array(H);
    this.hist = new Uint32Array(H * this.bins);
    this.charSum = new Float64Array(H * this.V);
    this.charCount = new Float64Array(this.V);
    this.featSum = new Float64Array(H * features.length);
    this.featStats = features.map(() => ({ sum: 0, sq: 0 }));
    this.tops = Array.from({ length: H }, () => new Candidates(1));
    this.bottoms = Array.from({ length: H }, () => new Candidates(-1));
  }

  /**
   * Adds a block of cell-major values [H][len] for recorded positions offset .. offset+len-1
   * (offsets relative to the recording's start). Blocks must come in order and start at
   * multiples of SEGMENT, so segments never straddle two blocks.
   */
  add(values: Float32Array, len: number, offset: number): void {
    if (offset % SEGMENT !== 0) throw new Error(`cell stats: block offset ${offset} is not a multiple of ${SEGMENT}`);
    const { H, V, bins } = this;
    const lowAt = this.gate ? 0.1 : -0.9;
    const inv = 1 / this.binWidth;
    const ids = this.ids;
    for (let t = 0; t < len; t++) this.charCount[ids[offset + t] as number]! += 1;
    for (let f = 0; f < this.features.length; f++) {
      const tr = (this.features[f] as FeatureInput).track;
      const st = this.featStats[f] as { sum: number; sq: number };
      for (let t = 0; t < len; t++) {
        const x = tr[offset + t] as number;
        st.sum += x;
        st.sq += x * x;
      }
    }
    for (let c = 0; c < H; c++) {
      const base = c * len;
      let s = 0;
      let q = 0;
      let mn = this.min[c] as number;
      let mx = this.max[c] as number;
      let low = 0;
      let high = 0;
      const hb = c * bins;
      const cb = c * V;
      const top = this.tops[c] as Candidates;
      const bottom = this.bottoms[c] as Candidates;
      for (let s0 = 0; s0 < len; s0 += SEGMENT) {
        const s1 = Math.min(len, s0 + SEGMENT);
        let segMax = -Infinity;
        let segMaxAt = s0;
        let segMin = Infinity;
        let segMinAt = s0;
        for (let t = s0; t < s1; t++) {
          const v = values[base + t] as number;
          s += v;
          q += v * v;
          if (v < mn) mn = v;
          if (v > mx) mx = v;
          if (v < lowAt) low++;
          if (v > 0.9) high++;
          let b = Math.floor((v - this.lo) * inv);
          b = b < 0 ? 0 : b >= bins ? bins - 1 : b;
          this.hist[hb + b]!++;
          this.charSum[cb + (ids[offset + t] as number)]! += v;
          if (v > segMax) {
            segMax = v;
            segMaxAt = t;
          }
          if (v < segMin) {
            segMin = v;
            segMinAt = t;
          }
        }
        top.push(this.origin + offset + segMaxAt, segMax);
        bottom.push(this.origin + offset + segMinAt, segMin);
      }
      this.sum[c]! += s;
      this.sq[c]! += q;
      this.min[c] = mn;
      this.max[c] = mx;
      this.lowCount[c]! += low;
      this.highCount[c]! += high;
      for (let f = 0; f < this.features.length; f++) {
        const tr = (this.features[f] as FeatureInput).track;
        let acc = 0;
        for (let t = 0; t < len; t++) acc += (values[base + t] as number) * (tr[offset + t] as number);
        this.featSum[c * this.features.length + f]! += acc;
      }
    }
    this.n += len;
  }

  finish(): CellStat[] {
    const { H, V, n } = this;
    const minCharCount = Math.max(5, Math.ceil(0.0005 * n));
    const out: CellStat[] = [];
    for (let c = 0; c < H; c++) {
      const mean = n ? (this.sum[c] as number) / n : 0;
      const variance = n ? Math.max(0, (this.sq[c] as number) / n - mean * mean) : 0;
      const chars: { char: string; mean: number; count: number }[] = [];
      for (let v = 0; v < V; v++) {
        const count = this.charCount[v] as number;
        if (count >= minCharCount) chars.push({ char: this.chars[v] ?? '', mean: (this.charSum[c * V + v] as number) / count, count });
      }
      chars.sort((a, b) => b.mean - a.mean);
      const features = this.features.map((f, k) => {
        const st = this.featStats[k] as { sum: number; sq: number };
        const cov = n * (this.featSum[c * this.features.length + k] as number) - (this.sum[c] as number) * st.sum;
        const den = Math.sqrt(Math.max(0, n * (this.sq[c] as number) - (this.sum[c] as number) ** 2) * Math.max(0, n * st.sq - st.sum * st.sum));
        return { feature: f.name, r: den > 0 ? cov / den : 0 };
      });
      features.sort((a, b) => Math.abs(b.r) - Math.abs(a.r));
      out.push({
        cell: c,
        count: n,
        mean,
        std: Math.sqrt(variance),
        min: n ? (this.min[c] as number) : 0,
        max: n ? (this.max[c] as number) : 0,
        low: n ? (this.lowCount[c] as number) / n : 0,
        high: n ? (this.highCount[c] as number) / n : 0,
        hist: this.shownHistogram(c),
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
  private shownHistogram(c: number): { lo: number; width: number; counts: number[] } {
    const fine = this.hist.subarray(c * this.bins, (c + 1) * this.bins);
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
