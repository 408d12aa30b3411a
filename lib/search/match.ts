import { isOn, onThroughout, type BitTracks } from './bit-tracks.ts';
import { compareMatches, lengthAllowed, type Match, type MatchOptions, type MatchResult } from './match-types.ts';

/**
 * LSTMVis's match over the whole recording, on bit-packed tracks (bit-tracks.ts), with exactly
 * the definition and ranking of match-types.ts (naive-match.ts is the reference it is tested
 * against). Work per query:
 * - the number of selected cells on at each step is kept as bit planes (carry-save addition of
 *   the selected tracks, 32 steps per word), so "at least k on" is a word-wide comparison;
 * - levels are taken from k = |C| down; a candidate first found at level k has intersection ≤ k,
 *   so once the page asked for (offset + limit) holds only results with intersection above the
 *   next level, the lower levels cannot change it and are skipped;
 * - a candidate is scored on every cell with a few word masks (onThroughout).
 */
export function matchTracks(tracks: BitTracks, cells: readonly number[], o: MatchOptions): MatchResult {
  const { T, W } = tracks;
  if (cells.length === 0) return { matches: [], candidates: 0 };
  const planes = countPlanes(tracks, cells);
  const selected = new Uint8Array(tracks.H);
  for (const c of cells) selected[c] = 1;
  const need = (o.offset ?? 0) + (o.limit ?? 50);
  const seen = new Set<number>();
  const found: Match[] = [];
  const mask = new Uint32Array(W);
  for (let k = cells.length; k >= 1; k--) {
    atLeast(planes, k, mask);
    forEachRun(mask, T, (start, end) => {
      const len = end - start;
      if (!lengthAllowed(len, o)) return;
      const key = start * 2 ** 21 + len;
      if (seen.has(key)) return;
      seen.add(key);
      found.push(score(tracks, selected, cells.length, start, end, o));
    });
    // Results below level k - 1 have intersection ≤ k - 1: stop when the page is full above it.
    if (k > 1 && found.filter((m) => m.intersection > k - 1).length >= need) break;
  }
  found.sort(compareMatches(o.selectionLength));
  const offset = o.offset ?? 0;
  return { matches: found.slice(offset, offset + (o.limit ?? 50)), candidates: found.length };
}

/** Scores [start, end) over all cells (match-types.ts). */
function score(tracks: BitTracks, selected: Uint8Array, selectedCount: number, start: number, end: number, o: MatchOptions): Match {
  let active = 0;
  let inter = 0;
  for (let c = 0; c < tracks.H; c++) {
    if (!onThroughout(tracks, c, start, end)) continue;
    if (o.offBefore && start > 0 && isOn(tracks, c, start - 1)) continue;
    if (o.offAfter && end < tracks.T && isOn(tracks, c, end)) continue;
    active++;
    inter += selected[c] as number;
  }
  const union = active + selectedCount - inter;
  return { start, end, intersection: inter, union, jaccard: union ? inter / union : 0 };
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
    if (start < 0 && x === 0) continue;
    if (start >= 0 && x === 0xffffffff) continue;
    for (let b = 0; b < 32; b++) {
      const bit = (x >>> b) & 1;
      if (bit && start < 0) start = base + b;
      else if (!bit && start >= 0) {
        fn(start, base + b);
        start = -1;
      }
    }
  }
  if (start >= 0) fn(start, T);
}
