import type { Db } from '../db/client.ts';
import type { CorpusTokens } from '../db/corpora.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { readPredictionWindow, readStateWindow } from '../record/window.ts';
import { TOP_K } from '../record/quantities.ts';

/** Steps of a match shown in its strip (LSTMVis aligns results at their start). */
export const STRIP_STEPS = 40;

/**
 * What the match list draws under a result, aligned at its start: the first STRIP_STEPS
 * characters, each selected cell's value there (a heat strip per cell), and the model's top-1
 * prediction after each character with whether the next character was that one.
 */
export interface MatchStrip {
  chars: string[];
  /** values[k][t]: selected cell k (in the answer's `cells` order) at step t, rounded to 3 digits. */
  values: number[][];
  /** The most likely next character after step t. */
  top1: string[];
  /** Whether the character after step t was the top-1 prediction. */
  correct: boolean[];
  /** Each character's annotation: its part-of-speech tag (lib/corpus/pos-track.ts) or uploaded label; '' for none. */
  tags: string[];
}

export async function matchStrip(db: Db, rec: RecordingSummary, tokens: CorpusTokens, annotation: { names: readonly string[]; tags: ArrayLike<number> }, layer: number, quantity: string, cells: readonly number[], start: number, end: number): Promise<MatchStrip> {
  const e = Math.min(end, start + STRIP_STEPS);
  const len = e - start;
  // An imported LSTMVis recording, or a bidirectional model's, has no predictions.
  const [w, p] = await Promise.all([readStateWindow(db.raw, rec, layer, quantity, start, e, cells), rec.predictions ? readPredictionWindow(db.raw, rec, start, e) : null]);
  const charOf = (id: number): string => tokens.vocab.chars[id] ?? '\uFFFD';
  return {
    chars: Array.from(tokens.ids.subarray(start, e), charOf),
    values: cells.map((_, k) => Array.from(w.values.subarray(k * len, (k + 1) * len), (v) => Math.round(v * 1000) / 1000)),
    top1: Array.from({ length: len }, (_, t) => (p ? charOf(p.topIndex[t * TOP_K] ?? 0) : '')),
    correct: Array.from({ length: len }, (_, t) => p !== null && start + t + 1 < tokens.ids.length && (p.topIndex[t * TOP_K] ?? -1) === tokens.ids[start + t + 1]),
    tags: Array.from({ length: len }, (_, t) => annotation.names[annotation.tags[start + t] ?? 0] ?? ''),
  };
}
