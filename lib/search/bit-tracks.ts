import { kernels } from '../../models/fused/kernels.ts';

/**
 * Per-cell on/off tracks, bit-packed: for one threshold τ, bit t of cell c is 1 when the cell's
 * value at timestep t is ≥ τ. Kept twice:
 * - cell-major (`words`), so that a cell's whole history is one run of words: word
 *   (c · W + ⌊t / 32⌋), bit (t mod 32), W = ⌈T / 32⌉ — for counting selected cells over all steps;
 * - step-major (`rows`), so that all cells at one step are R = ⌈H / 32⌉ words: word
 *   (t · R + ⌊c / 32⌋), bit (c mod 32) — for scoring a range over all cells with ANDs and popcounts.
 * A 1,000,000 × 512 recording takes 2 × 64 MB per threshold. Select & match (select.ts, match.ts)
 * work on these words.
 */
export interface BitTracks {
  /** Timesteps. */
  T: number;
  /** Cells. */
  H: number;
  /** Words per cell. */
  W: number;
  /** Words per step. */
  R: number;
  threshold: number;
  words: Uint32Array;
  /** In the fused kernels' memory (at byte `rowsAt`), where match scores candidate ranges. */
  rows: Uint32Array;
  rowsAt: number;
}

export function wordsPerTrack(T: number): number {
  return Math.ceil(T / 32);
}

/** Tracks of `values` [T, H] (row-major, timestep by timestep) at `threshold`. */
export function buildBitTracks(values: Float32Array, T: number, H: number, threshold: number): BitTracks {
  if (values.length !== T * H) throw new Error(`values hold ${values.length} numbers, expected ${T} x ${H}`);
  const tracks = emptyBitTracks(T, H, threshold);
  appendRows(tracks, values, 0, T);
  return tracks;
}

export function emptyBitTracks(T: number, H: number, threshold: number): BitTracks {
  const W = wordsPerTrack(T);
  const R = wordsPerTrack(H);
  const rt = kernels();
  const rowsAt = rt.alloc(T * R * 4);
  rt.zero(rowsAt, T * R * 4);
  return { T, H, W, R, threshold, words: new Uint32Array(H * W), rows: rt.u32(rowsAt, T * R), rowsAt };
}

/** Frees the tracks' step-major rows in kernel memory (the tracks are unusable afterwards). */
export function releaseBitTracks(tracks: BitTracks): void {
  kernels().release(tracks.rowsAt);
}

/**
 * Sets the bits of timesteps [t0, t0 + count) from a row-major block [count, H] (tracks are built
 * chunk by chunk while recording). Bits start cleared.
 */
export function appendRows(tracks: BitTracks, block: Float32Array, t0: number, count: number): void {
  const { H, W, R, threshold, words, rows } = tracks;
  for (let r = 0; r < count; r++) {
    const t = t0 + r;
    const w = t >>> 5;
    const bit = 1 << (t & 31);
    const src = r * H;
    const dst = t * R;
    for (let c = 0; c < H; c++) {
      if ((block[src + c] as number) < threshold) continue;
      words[c * W + w] = (words[c * W + w] as number) | bit;
      rows[dst + (c >>> 5)] = (rows[dst + (c >>> 5)] as number) | (1 << (c & 31));
    }
  }
}

/** Set bits in a 32-bit word. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
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
    const mask = wordMask(w, a, b);
    if (((tracks.words[base + w] as number) & mask) >>> 0 !== mask) return false;
  }
  return true;
}

/** The bits of word w (steps 32w ... 32w + 31) that fall inside [a, b). */
export function wordMask(w: number, a: number, b: number): number {
  const lo = w === a >>> 5 ? a & 31 : 0;
  const hi = w === (b - 1) >>> 5 ? ((b - 1) & 31) + 1 : 32;
  return hi - lo === 32 ? 0xffffffff : (((1 << (hi - lo)) - 1) << lo) >>> 0;
}
