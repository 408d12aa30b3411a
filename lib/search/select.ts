import { isOn, onThroughout, type BitTracks } from './bit-tracks.ts';

/**
 * LSTMVis's select: the cells on (≥ the tracks' threshold) at every step of [start, end), and,
 * when asked, off at the step before (offBefore, LSTMVis's default) and at the step after
 * (offAfter). A constraint at the corpus edge (no step before 0 or after T - 1) holds.
 */
export interface SelectOptions {
  offBefore?: boolean;
  offAfter?: boolean;
}

export function activeCells(tracks: BitTracks, start: number, end: number, opts: SelectOptions = {}): number[] {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= tracks.T)) {
    throw new RangeError(`range [${start}, ${end}) is not inside the recording's ${tracks.T} timesteps`);
  }
  const cells: number[] = [];
  for (let c = 0; c < tracks.H; c++) {
    if (!onThroughout(tracks, c, start, end)) continue;
    if (opts.offBefore && start > 0 && isOn(tracks, c, start - 1)) continue;
    if (opts.offAfter && end < tracks.T && isOn(tracks, c, end)) continue;
    cells.push(c);
  }
  return cells;
}
