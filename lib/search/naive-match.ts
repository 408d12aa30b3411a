import { boundaryMask, compareMatches, lengthAllowed, type Match, type MatchOptions, type MatchResult } from './match-types.ts';

/**
 * The reference match (match-types.ts's definition) as a plain scan of the values [T, H],
 * row-major (floats, or 0/1 bytes already thresholded, with threshold 0.5): counts every step, takes every level's runs, scores every candidate cell by
 * cell and step by step, sorts all. What LSTMVis does per query; the fast path (match.ts) must
 * return exactly the same.
 */
export function naiveMatch(values: Float32Array | Uint8Array, T: number, H: number, threshold: number, cells: readonly number[], o: MatchOptions): MatchResult {
  const on = (t: number, c: number): boolean => (values[t * H + c] as number) >= threshold;
  const count = new Int32Array(T);
  for (let t = 0; t < T; t++) for (const c of cells) if (on(t, c)) count[t] = (count[t] as number) + 1;
  const seen = new Set<number>();
  const matches: Match[] = [];
  const selected = new Set(cells);
  const edge = boundaryMask(o.boundaries, T);
  const startsSequence = (t: number): boolean => edge !== null && edge[t] === 1;
  for (let k = cells.length; k >= 1; k--) {
    let t = 0;
    while (t < T) {
      if ((count[t] as number) < k) {
        t++;
        continue;
      }
      const start = t;
      while (t < T && (count[t] as number) >= k && !(t > start && startsSequence(t))) t++;
      const key = start * 2 ** 21 + (t - start);
      if (!lengthAllowed(t - start, o) || seen.has(key)) continue;
      seen.add(key);
      let active = 0;
      let inter = 0;
      for (let c = 0; c < H; c++) {
        let ok = true;
        for (let s = start; s < t && ok; s++) ok = on(s, c);
        if (ok && o.offBefore && start > 0 && !startsSequence(start)) ok = !on(start - 1, c);
        if (ok && o.offAfter && t < T && !startsSequence(t)) ok = !on(t, c);
        if (!ok) continue;
        active++;
        if (selected.has(c)) inter++;
      }
      const union = active + cells.length - inter;
      matches.push({ start, end: t, intersection: inter, union, jaccard: union ? inter / union : 0 });
    }
  }
  matches.sort(compareMatches(o.selectionLength));
  const offset = o.offset ?? 0;
  return { matches: matches.slice(offset, offset + (o.limit ?? 50)), candidates: matches.length };
}
