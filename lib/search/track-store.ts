import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { recordedLayer } from '../record/recorded-layers.ts';
import { emptyBitTracks, releaseBitTracks, type BitTracks } from './bit-tracks.ts';
import { kernels } from '../../models/fused/kernels.ts';
import { storeColumnBlock } from './columns.ts';
import { TRACK_BLOCK, TRACK_LEVELS, TRACK_QUANTITIES } from './track-layout.ts';

/**
 * The select & match index kept with a recording: for each layer's h and c (the quantities
 * LSTMVis matches on; GRUs and simple RNNs have h only) and each threshold level 0.1, 0.2, ...,
 * 0.9, every cell's on/off bits, stored in blocks of 65,536 timesteps (CellTrack rows, cell-major
 * u32 words). 1,000,000 × 512 cells take 64 MB per level and quantity. Built at the end of a
 * recording job; loaded into memory (both bit layouts, bit-tracks.ts) on a recording's first
 * query and kept in a small cache.
 */
export { TRACK_BLOCK, TRACK_LEVELS, TRACK_QUANTITIES } from './track-layout.ts';

export function levelThreshold(level: number): number {
  return level / 10;
}

/** The level of a threshold, when it is one of the indexed ones (0.1 ... 0.9). */
export function levelOf(threshold: number): number | undefined {
  const level = Math.round(threshold * 10);
  return Math.abs(threshold * 10 - level) < 1e-9 && (TRACK_LEVELS as readonly number[]).includes(level) ? level : undefined;
}

export function indexedQuantities(rec: Pick<RecordingSummary, 'quantities'>): string[] {
  return TRACK_QUANTITIES.filter((q) => rec.quantities.includes(q));
}

/** Drops a recording's select & match index and columns (before it is built again). */
export async function clearRecordingTracks(db: Db, recordingId: number): Promise<void> {
  await db.raw.run('DELETE FROM "CellTrack" WHERE "recordingId" = ?', [recordingId]);
  await db.raw.run('DELETE FROM "CellColumn" WHERE "recordingId" = ?', [recordingId]);
}

/**
 * Stores one block (b: index of TRACK_BLOCK steps) of an indexed quantity, cell-major values
 * [H][len] as stored: its int8 columns and its bit words at every level. The recording pass
 * (lib/jobs/index-recording.ts) hands every block over once.
 */
export async function storeTrackBlock(db: Db, rec: RecordingSummary, layer: number, quantity: string, b: number, values: Float32Array, len: number): Promise<void> {
  await storeColumnBlock(db, rec, layer, quantity, b, values, len);
  const perLevel = blockWords(values, recordedLayer(rec, layer).units, len);
  await db.raw.transaction(async (tx) => {
    for (const [i, level] of TRACK_LEVELS.entries()) {
      const words = perLevel[i] as Uint32Array;
      await tx.run('INSERT INTO "CellTrack" ("recordingId", "layer", "quantity", "level", "block", "data") VALUES (?, ?, ?, ?, ?, ?)', [
        rec.id, layer, quantity, level, b, new Uint8Array(words.buffer, words.byteOffset, words.byteLength),
      ]);
    }
  });
}

/**
 * One block's words for every level from cell-major values [H][len] (value ≥ level / 10 is on,
 * compared in float32: for stored float16 values the same as the decimal comparison), computed
 * by the fused kernels' thresholdWords (four steps per comparison).
 */
export function blockWords(values: Float32Array, H: number, len: number): Uint32Array[] {
  const rt = kernels();
  const Wb = Math.ceil(len / 32);
  const L = TRACK_LEVELS.length;
  const v = rt.upload(values);
  const levels = rt.upload(Float32Array.from(TRACK_LEVELS, levelThreshold));
  const out = rt.alloc(L * H * Wb * 4);
  try {
    rt.call('thresholdWords', H, len, v, levels, L, out);
    return TRACK_LEVELS.map((_, l) => new Uint32Array(rt.bytes(out + l * H * Wb * 4, H * Wb * 4).slice().buffer));
  } finally {
    [v, levels, out].forEach((p) => rt.release(p));
  }
}

interface CacheEntry {
  tracks: BitTracks;
  bytes: number;
}
/** Loaded tracks by recording/layer/quantity/level, least recently used first. */
const cache = new Map<string, CacheEntry>();
const CACHE_BYTES = Number(process.env.CELLSCOPE_TRACK_CACHE_MB ?? 1024) * 1048576;

/** A recording's tracks for one layer, quantity and level, from the cache or the database. */
export async function loadTracks(db: Db, rec: RecordingSummary, layer: number, quantity: string, level: number): Promise<BitTracks> {
  const key = `${rec.id}/${layer}/${quantity}/${level}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit.tracks;
  }
  const rows = await db.raw.query<{ block: number; data: Uint8Array }>(
    'SELECT "block", "data" FROM "CellTrack" WHERE "recordingId" = ? AND "layer" = ? AND "quantity" = ? AND "level" = ? ORDER BY "block"',
    [rec.id, layer, quantity, level],
  );
  const T = rec.end - rec.start;
  const H = recordedLayer(rec, layer).units;
  const blocks = Math.ceil(T / TRACK_BLOCK);
  if (rows.length !== blocks) {
    throw new ConflictError(`recording ${rec.id} has no select & match index for layer ${layer} ${quantity} (${rows.length} of ${blocks} blocks): it was recorded before the index existed; record the range again`);
  }
  const tracks = emptyBitTracks(T, H, levelThreshold(level));
  for (const r of rows) {
    const b = r.block;
    const len = Math.min(TRACK_BLOCK, T - b * TRACK_BLOCK);
    const Wb = Math.ceil(len / 32);
    const words = new Uint32Array(r.data.slice().buffer);
    if (words.length !== H * Wb) throw new Error(`track block ${b} of recording ${rec.id} has ${words.length} words, expected ${H * Wb}`);
    const w0 = (b * TRACK_BLOCK) / 32;
    for (let c = 0; c < H; c++) tracks.words.set(words.subarray(c * Wb, (c + 1) * Wb), c * tracks.W + w0);
  }
  fillRowsFromWords(tracks);
  const bytes = tracks.words.byteLength + tracks.rows.byteLength;
  cache.set(key, { tracks, bytes });
  let total = 0;
  for (const e of cache.values()) total += e.bytes;
  for (const [k, e] of cache) {
    if (total <= CACHE_BYTES || k === key) break;
    cache.delete(k);
    releaseBitTracks(e.tracks);
    total -= e.bytes;
  }
  return tracks;
}

/** Fills the step-major rows from the cell-major words (a bit transpose, 32 steps at a time). */
export function fillRowsFromWords(tracks: BitTracks): void {
  const { H, W, R, words, rows } = tracks;
  for (let c = 0; c < H; c++) {
    const rw = c >>> 5;
    const cbit = 1 << (c & 31);
    for (let w = 0; w < W; w++) {
      let x = words[c * W + w] as number;
      while (x !== 0) {
        const low = x & -x;
        const t = (w << 5) + (31 - Math.clz32(low));
        rows[t * R + rw] = (rows[t * R + rw] as number) | cbit;
        x ^= low;
      }
    }
  }
}

/** Drops a recording's cached tracks (after it is re-recorded or deleted). */
export function forgetTracks(recordingId: number): void {
  for (const [k, e] of cache) {
    if (!k.startsWith(`${recordingId}/`)) continue;
    cache.delete(k);
    releaseBitTracks(e.tracks);
  }
}
