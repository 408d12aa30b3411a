import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { recordedLayer } from '../record/recorded-layers.ts';
import { TRACK_BLOCK } from './track-store.ts';

/**
 * Columns kept with a recording for the soft match and the cell finder: each cell's h and c over
 * blocks of 65,536 steps as int8 round(127 · clamp(v / scale, -1, 1)) (CellColumn rows; one byte
 * per cell and step, about half the float16 states of those two quantities). h lies in [-1, 1]
 * (scale 1); the cell state c is unbounded, and counters such as a line-position cell run well
 * past ±1, so c is stored over [-4, 4] (a resolution of 0.03). Both consumers are indifferent to
 * the scale (cosine similarity, AUC and correlation), so recordings indexed before c had its own
 * scale still answer, with c clamped at ±1 (cellscope reindex rebuilds them).
 */
export const C_COLUMN_SCALE = 4;

export function columnScale(quantity: string): number {
  return quantity === 'c' ? C_COLUMN_SCALE : 1;
}

export function quantize(v: number, scale = 1): number {
  return Math.round(127 * Math.max(-1, Math.min(1, v / scale)));
}

/** Stores one block of cell-major values [H][len] as H column rows. */
export async function storeColumnBlock(db: Db, rec: RecordingSummary, layer: number, quantity: string, block: number, values: Float32Array, len: number): Promise<void> {
  const scale = columnScale(quantity);
  const H = recordedLayer(rec, layer).units;
  await db.raw.transaction(async (tx) => {
    for (let c = 0; c < H; c++) {
      const q = new Int8Array(len);
      for (let t = 0; t < len; t++) q[t] = quantize(values[c * len + t] as number, scale);
      await tx.run('INSERT INTO "CellColumn" ("recordingId", "layer", "quantity", "cell", "block", "data") VALUES (?, ?, ?, ?, ?, ?)', [
        rec.id, layer, quantity, c, block, new Uint8Array(q.buffer),
      ]);
    }
  });
}

/** The given cells' whole histories as stored, int8, [cells.length][T] (row k: cells[k]). */
export async function loadColumnBytes(db: Db, rec: RecordingSummary, layer: number, quantity: string, cells: readonly number[]): Promise<Int8Array> {
  const T = rec.end - rec.start;
  const blocks = Math.ceil(T / TRACK_BLOCK);
  const out = new Int8Array(cells.length * T);
  for (const [k, cell] of cells.entries()) {
    const rows = await db.raw.query<{ block: number; data: Uint8Array }>(
      'SELECT "block", "data" FROM "CellColumn" WHERE "recordingId" = ? AND "layer" = ? AND "quantity" = ? AND "cell" = ? ORDER BY "block"',
      [rec.id, layer, quantity, cell],
    );
    if (rows.length !== blocks) throw new ConflictError(`recording ${rec.id} has no columns for layer ${layer} ${quantity} (soft match, cell finder): record the range again`);
    for (const r of rows) out.set(new Int8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength), k * T + r.block * TRACK_BLOCK);
  }
  return out;
}

/** The given cells' whole histories, dequantized, as [cells.length][T] (row k: cells[k]). */
export async function loadColumns(db: Db, rec: RecordingSummary, layer: number, quantity: string, cells: readonly number[]): Promise<Float32Array> {
  const step = columnScale(quantity) / 127;
  return Float32Array.from(await loadColumnBytes(db, rec, layer, quantity, cells), (q) => q * step);
}
