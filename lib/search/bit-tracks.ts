/**
 * Per-cell on/off tracks, bit-packed: for one threshold τ, bit t of cell c is 1 when the cell's
 * value at timestep t is ≥ τ. Stored cell-major so that a cell's whole history is one run of
 * words: word (c · W + ⌊t / 32⌋), bit (t mod 32), W = ⌈T / 32⌉. A 1,000,000 × 512 recording takes
 * 64 MB per threshold. Select & match (select.ts, match.ts) work on these words.
 */
export interface BitTracks {
  /** Timesteps. */
  T: number;
  /** Cells. */
  H: number;
  /** Words per cell. */
  W: number;
  threshold: number;
  words: Uint32Array;
}

export function wordsPerTrack(T: number): number {
  return Math.ceil(T / 32);
}

/** Tracks of `values` [T, H] (row-major, timestep by timestep) at `threshold`. */
export function buildBitTracks(values: Float32Array, T: number, H: number, threshold: number): BitTracks {
  if (values.length !== T * H) throw new Error(`values hold ${values.length} numbers, expected ${T} x ${H}`);
  const W = wordsPerTrack(T);
  const words = new Uint32Array(H * W);
  appendRows(words, W, values, 0, T, H, threshold);
  return { T, H, W, threshold, words };
}

/**
 * Sets the bits of timesteps [t0, t0 + rows) from a row-major block [rows, H] (tracks are built
 * chunk by chunk while recording). Bits start cleared.
 */
export function appendRows(words: Uint32Array, W: number, block: Float32Array, t0: number, rows: number, H: number, threshold: number): void {
  for (let r = 0; r < rows; r++) {
    const t = t0 + r;
    const w = t >>> 5;
    const bit = 1 << (t & 31);
    const row = r * H;
    for (let c = 0; c < H; c++) if ((block[row + c] as number) >= threshold) words[c * W + w] = (words[c * W + w] as number) | bit;
  }
}

export function isOn(tracks: BitTracks, cell: number, t: number): boolean {
  return (((tracks.words[cell * tracks.W + (t >>> 5)] as number) >>> (t & 31)) & 1) === 1;
}

/** True when the cell is on at every timestep of [a, b) (b > a). */
export function onThroughout(tracks: BitTracks, cell: number, a: number, b: number): boolean {
  const base = cell * tracks.W;
  const w0 = a >>> 5;
  const w1 = (b - 1) >>> 5;
  for (let w = w0; w <= w1; w++) {
    const lo = w === w0 ? a & 31 : 0;
    const hi = w === w1 ? ((b - 1) & 31) + 1 : 32;
    const mask = hi - lo === 32 ? 0xffffffff : (((1 << (hi - lo)) - 1) << lo) >>> 0;
    if (((tracks.words[base + w] as number) & mask) >>> 0 !== mask) return false;
  }
  return true;
}
