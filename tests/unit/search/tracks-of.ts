import { buildBitTracks } from '../../../lib/search/bit-tracks.ts';

/** Tracks from rows of 0/1 strings, one string per cell: "0110" = off, on, on, off. */
export function tracksOf(cells: string[]) {
  const T = cells[0]?.length ?? 0;
  const H = cells.length;
  const values = new Float32Array(T * H);
  cells.forEach((s, c) => [...s].forEach((ch, t) => (values[t * H + c] = ch === '1' ? 1 : 0)));
  return { tracks: buildBitTracks(values, T, H, 0.5), values, T, H };
}

