/**
 * LSTMVis's match, as Cellscope defines it (both the fast path, match.ts, and the reference scan,
 * naive-match.ts, implement exactly this):
 * - candidates: for every level k = |C|, |C| - 1, ..., 1, the maximal runs of timesteps at which at
 *   least k of the selected cells C are on, of length ≥ minLength (default 2, LSTMVis's cut-off),
 *   ≤ maxLength, or = exactLength when given;
 * - each candidate [start, end) is scored over all cells: the active cells are those on at every
 *   step of it (and off just before / just after it when those constraints are set; a corpus edge
 *   counts as off); intersection = |active ∩ C|, union = |active ∪ C|, jaccard = their ratio;
 * - a corpus of sequences: a match never spans two sequences (runs are cut where a sequence
 *   starts), and a sequence's edge counts as a corpus edge;
 * - ranking: largest intersection, then smallest union, then length closest to the selection's,
 *   then earliest start, then shortest.
 */
export interface MatchOptions {
  offBefore?: boolean;
  offAfter?: boolean;
  minLength?: number;
  maxLength?: number;
  exactLength?: number;
  /** Length of the selection the cells came from: ranking prefers lengths closest to it. */
  selectionLength: number;
  limit?: number;
  offset?: number;
  /**
   * A corpus of sequences: the steps (0-based in the recording) where a sequence starts, sorted;
   * runs are cut there and those edges count as off.
   */
  boundaries?: Int32Array;
}

/** A 1-per-step mask of `boundaries` over T steps (null: one continuous text). */
export function boundaryMask(boundaries: Int32Array | undefined, T: number): Uint8Array | null {
  if (!boundaries || boundaries.length === 0) return null;
  const mask = new Uint8Array(T + 1);
  for (const b of boundaries) if (b > 0 && b < T) mask[b] = 1;
  return mask;
}

export interface Match {
  start: number;
  end: number;
  intersection: number;
  union: number;
  jaccard: number;
  /** Soft mode only: cosine similarity with the selection. */
  score?: number;
}

export interface MatchResult {
  matches: Match[];
  /** Candidate ranges scored (the fast path prunes levels that cannot reach the page asked for). */
  candidates: number;
  /**
   * lengths[n]: how many maximal runs with every selected cell on are n steps long, over the whole
   * recording and before the length options (the last entry counts all runs of LENGTH_BINS - 1
   * steps or more): LSTMVis's length histogram.
   */
  lengths?: number[];
}

export const LENGTH_BINS = 65;

export function compareMatches(selectionLength: number): (a: Match, b: Match) => number {
  return (a, b) =>
    b.intersection - a.intersection ||
    a.union - b.union ||
    Math.abs(a.end - a.start - selectionLength) - Math.abs(b.end - b.start - selectionLength) ||
    a.start - b.start ||
    a.end - b.end;
}

export function lengthAllowed(len: number, o: MatchOptions): boolean {
  if (o.exactLength !== undefined) return len === o.exactLength;
  return len >= (o.minLength ?? 2) && (o.maxLength === undefined || len <= o.maxLength);
}
