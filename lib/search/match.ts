import { wordMask, type BitTracks } from './bit-tracks.ts';
import { kernels, splitRows } from '../../models/fused/kernels.ts';
import { boundaryMask, compareMatches, LENGTH_BINS, lengthAllowed, type Match, type MatchOptions, type MatchResult } from './match-types.ts';
import { TopK } from './top-k.ts';

/**
 * LSTMVis's match over the whole recording, on bit-packed tracks (bit-tracks.ts), with exactly
 * the definition and ranking of match-types.ts (naive-match.ts is the reference it is tested
 * against). Work per query:
 * - the number of selected cells on at each step is kept as bit planes (carry-save addition of
 *   the selected tracks, 32 steps per word), so "at least k on" is a word-wide comparison;
 * - levels are taken from k = |C| down; a candidate first found at level k has intersection ≤ k,
 *   so once the page asked for (offset + limit) holds only results with intersection above the
 *   next level, the lower levels cannot change it and are skipped;
 * - each level's new candidates are scored on every cell at once, in WebAssembly on all threads:
 *   AND of their steps' rows, then popcounts.
 */
export function matchTracks(tracks: BitTracks, cells: readonly number[], o: MatchOptions): MatchResult {
  const { T, W } = tracks;
  if (cells.length === 0) return { matches: [], candidates: 0 };
  const planes = countPlanes(tracks, cells);
  const selectedMask = new Uint32Array(tracks.R);
  for (const c of cells) selectedMask[c >>> 5] = (selectedMask[c >>> 5] as number) | (1 << (c & 31));
  const need = (o.offset ?? 0) + (o.limit ?? 50);
  const best = new TopK<Match>(need, compareMatches(o.selectionLength));
  let candidates = 0;
  const lengths = new Array<number>(LENGTH_BINS).fill(0);
  let mask = new Uint32Array(W);
  let above = new Uint32Array(W); // the previous (higher) level's mask
  const edge = boundaryMask(o.boundaries, T);
  for (let k = cells.length; k >= 1; k--) {
    atLeast(planes, k, mask);
    // A run seen at a higher level comes back unchanged at this one exactly when no step in it
    // has exactly k cells on: those runs are skipped without a lookup table.
    const ranges: number[] = [];
    forEachRunWithin(mask, T, o.boundaries, (start, end) => {
      if (k === cells.length) lengths[Math.min(LENGTH_BINS - 1, end - start)] = (lengths[Math.min(LENGTH_BINS - 1, end - start)] as number) + 1;
      if (!lengthAllowed(end - start, o)) return;
      if (k < cells.length && !anyBitBetween(mask, above, start, end)) return;
      ranges.push(start, end);
    });
    candidates += ranges.length / 2;
    scoreAtEdges(tracks, selectedMask, cells.length, ranges, o, edge, best);
    // Lower levels only hold intersections ≤ k - 1: stop when the page is full above that.
    const worst = best.worst();
    if (k > 1 && worst && worst.intersection > k - 1) break;
    [mask, above] = [above, mask];
  }
  const offset = o.offset ?? 0;
  return { matches: best.sorted().slice(offset, offset + (o.limit ?? 50)), candidates, lengths };
}

/**
 * Scores candidates with the off-before / off-after constraints lifted where a range starts or
 * ends at a sequence's edge (it counts as a corpus edge): the ranges go to the kernel in up to
 * four groups, one per pair of constraints.
 */
function scoreAtEdges(tracks: BitTracks, selectedMask: Uint32Array, selectedCount: number, ranges: number[], o: MatchOptions, edge: Uint8Array | null, best: TopK<Match>): void {
  if (!edge || !(o.offBefore || o.offAfter)) return scoreAll(tracks, selectedMask, selectedCount, ranges, o, best);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i] as number;
    const end = ranges[i + 1] as number;
    const before = !!o.offBefore && edge[start] !== 1;
    const after = !!o.offAfter && edge[end] !== 1;
    const key = `${before}/${after}`;
    const g = groups.get(key) ?? [];
    g.push(start, end);
    groups.set(key, g);
  }
  for (const [key, g] of groups) {
    const [before, after] = key.split('/').map((x) => x === 'true');
    scoreAll(tracks, selectedMask, selectedCount, g, { ...o, offBefore: before as boolean, offAfter: after as boolean }, best);
  }
}

/** forEachRun, with runs cut where a sequence starts (`boundaries`, sorted steps). */
export function forEachRunWithin(mask: Uint32Array, T: number, boundaries: Int32Array | undefined, fn: (start: number, end: number) => void): void {
  if (!boundaries || boundaries.length === 0) return forEachRun(mask, T, fn);
  let i = 0;
  forEachRun(mask, T, (start, end) => {
    while (i < boundaries.length && (boundaries[i] as number) <= start) i++;
    let s = start;
    for (let j = i; j < boundaries.length && (boundaries[j] as number) < end; j++) {
      fn(s, boundaries[j] as number);
      s = boundaries[j] as number;
    }
    fn(s, end);
  });
}

/**
 * Scores candidate ranges over all cells (match-types.ts) with the fused kernels' scoreRanges
 * (models/fused/assembly/ranges.ts), split over the kernel threads: per range, the AND of its
 * steps' rows (AND NOT the step before / after under the constraints), then popcounts of it and
 * of it within the selection's mask.
 */
function scoreAll(tracks: BitTracks, selectedMask: Uint32Array, selectedCount: number, ranges: number[], o: MatchOptions, best: TopK<Match>): void {
  const n = ranges.length / 2;
  if (n === 0) return;
  const rt = kernels();
  const { R, T } = tracks;
  const parts = splitRows(n, rt.threads);
  const rangesAt = rt.upload(Int32Array.from(ranges));
  const maskAt = rt.upload(selectedMask);
  const outAt = rt.alloc(n * 8);
  const accAt = rt.alloc(parts.length * R * 4);
  try {
    rt.parallel('scoreRanges', parts.map(([q0, q1], i) => [q1 - q0, R, T, tracks.rowsAt, rangesAt + q0 * 8, maskAt, o.offBefore ? 1 : 0, o.offAfter ? 1 : 0, outAt + q0 * 8, accAt + i * R * 4]));
    const out = new Int32Array(rt.bytes(outAt, n * 8).slice().buffer);
    const compare = compareMatches(o.selectionLength);
    for (let q = 0; q < n; q++) {
      const active = out[2 * q] as number;
      const inter = out[2 * q + 1] as number;
      const union = active + selectedCount - inter;
      const start = ranges[2 * q] as number;
      const end = ranges[2 * q + 1] as number;
      // Most candidates cannot enter a full page: test before building an object.
      const worst = best.worst();
      if (worst && (inter < worst.intersection || (inter === worst.intersection && union > worst.union))) continue;
      const m = { start, end, intersection: inter, union, jaccard: union ? inter / union : 0 };
      if (!worst || compare(m, worst) < 0) best.offer(m);
    }
  } finally {
    [rangesAt, maskAt, outAt, accAt].forEach((p) => rt.release(p));
  }
}

/** Scores the given ranges (flat [start, end, ...]) as match-types.ts defines, in their order. */
export function scoreRanges(tracks: BitTracks, cells: readonly number[], ranges: number[], o: MatchOptions): Match[] {
  const selectedMask = new Uint32Array(tracks.R);
  for (const c of cells) selectedMask[c >>> 5] = (selectedMask[c >>> 5] as number) | (1 << (c & 31));
  const all: Match[] = [];
  const collect = { offer: (m: Match) => void all.push(m), worst: () => undefined } as unknown as TopK<Match>;
  scoreAtEdges(tracks, selectedMask, cells.length, ranges, o, boundaryMask(o.boundaries, tracks.T), collect);
  // In the order asked (the groups at sequence edges are scored apart).
  const byRange = new Map(all.map((m) => [`${m.start}:${m.end}`, m]));
  return Array.from({ length: ranges.length / 2 }, (_, i) => byRange.get(`${ranges[2 * i]}:${ranges[2 * i + 1]}`) as Match);
}

/**
 * How many of `cells` are on at each step, as binary digits: plane p holds bit p of the count
 * for 32 steps per word (carry-save: each track is added with and/xor down the planes).
 */
export function countPlanes(tracks: BitTracks, cells: readonly number[]): Uint32Array[] {
  const P = Math.max(1, Math.ceil(Math.log2(cells.length + 1)));
  const { W, words } = tracks;
  const planes = Array.from({ length: P }, () => new Uint32Array(W));
  for (const c of cells) {
    const base = c * W;
    for (let w = 0; w < W; w++) {
      let carry = words[base + w] as number;
      for (let p = 0; p < P && carry !== 0; p++) {
        const plane = planes[p] as Uint32Array;
        const x = plane[w] as number;
        plane[w] = x ^ carry;
        carry = x & carry;
      }
    }
  }
  return planes;
}

/** out[w] = bits where the count held in `planes` is ≥ k (a comparison from the top plane down). */
export function atLeast(planes: readonly Uint32Array[], k: number, out: Uint32Array): void {
  const P = planes.length;
  for (let w = 0; w < out.length; w++) {
    let gt = 0;
    let eq = 0xffffffff;
    for (let p = P - 1; p >= 0; p--) {
      const x = (planes[p] as Uint32Array)[w] as number;
      if ((k >>> p) & 1) eq &= x;
      else {
        gt |= eq & x;
        eq &= ~x;
      }
    }
    out[w] = (gt | eq) >>> 0;
  }
}

/** Calls fn(start, end) for every maximal run of set bits among the first T bits. */
export function forEachRun(mask: Uint32Array, T: number, fn: (start: number, end: number) => void): void {
  let start = -1;
  for (let w = 0; w < mask.length; w++) {
    const x = mask[w] as number;
    const base = w << 5;
    let b = 0;
    while (b < 32) {
      if (start < 0) {
        // Next set bit at or after b.
        const rest = (x >>> b) << b;
        if (rest === 0) break;
        b = ctz(rest);
        start = base + b;
      } else {
        // Next clear bit at or after b.
        const rest = ((~x >>> b) << b) >>> 0;
        if (rest === 0) break;
        b = ctz(rest);
        fn(start, base + b);
        start = -1;
      }
    }
  }
  if (start >= 0) fn(start, T);
}

/** Index of the lowest set bit of a non-zero word. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** True when some step in [start, end) is set in `mask` but not in `above`. */
function anyBitBetween(mask: Uint32Array, above: Uint32Array, start: number, end: number): boolean {
  const w0 = start >>> 5;
  const w1 = (end - 1) >>> 5;
  for (let w = w0; w <= w1; w++) {
    if (((mask[w] as number) & ~(above[w] as number) & wordMask(w, start, end)) !== 0) return true;
  }
  return false;
}
