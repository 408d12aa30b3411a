import { TOP_K } from '../record/quantities.ts';
import { TRACK_BLOCK, TRACK_LEVELS, TRACK_QUANTITIES } from './track-layout.ts';

export interface RecordingSize {
  /** Float16 values of the stored quantities (StateChunk). */
  states: number;
  /** Top-k ids and probabilities, and the true next character's probability (StateChunk). */
  predictions: number;
  /** The select & match index of h and c: float16 columns (CellColumn) and bit tracks (CellTrack). */
  index: number;
  total: number;
}

/**
 * Bytes of data a recording stores, computed from the layouts: lib/record/quantities.ts for the
 * chunks, track-store.ts and columns.ts for the index. SQLite's page overhead comes on top (a few
 * percent). The index costs about as much as h and c themselves, so leaving the gates out of an
 * LSTM recording halves its size rather than dividing it by three.
 */
export function recordingSize(steps: number, layers: readonly SizedLayer[], opts: { classes?: number } = {}): RecordingSize {
  const states = layers.reduce((a, l) => a + steps * l.units * l.quantities.length * 2, 0);
  // A classifier also keeps every class's float16 probability after each step.
  const predictions = steps * (TOP_K * 2 + TOP_K * 2 + 2 + (opts.classes ?? 0) * 2);
  let perCell = 0;
  for (let b = 0; b * TRACK_BLOCK < steps; b++) {
    const len = Math.min(TRACK_BLOCK, steps - b * TRACK_BLOCK);
    perCell += 2 * len + Math.ceil(len / 32) * 4 * TRACK_LEVELS.length; // float16 column + u32 bit words per level
  }
  const index = layers.reduce((a, l) => a + TRACK_QUANTITIES.filter((q) => l.quantities.includes(q)).length * l.units * perCell, 0);
  return { states, predictions, index, total: states + predictions + index };
}

/** What the size of one layer's share depends on. */
export interface SizedLayer {
  units: number;
  quantities: readonly string[];
}

/** `count` alike layers of `units` cells recording `quantities`. */
export function alikeLayers(count: number, units: number, quantities: readonly string[]): SizedLayer[] {
  return Array.from({ length: count }, () => ({ units, quantities }));
}
