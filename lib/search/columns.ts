import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { decodeTable, encodeF16, toFloat16, u16View } from '../record/f16.ts';
import { recordedLayer } from '../record/recorded-layers.ts';
import { TRACK_BLOCK } from './track-layout.ts';

/**
 * Columns kept with a recording for the soft match and the cell finder: each cell's h and c over
 * blocks of 65,536 steps (CellColumn rows), as the float16 values the recording stores, so that
 * the finder's AUC and correlation are those of the stored states themselves (issue 13: a
 * counter-like cell whose c runs to −250 must rank as it deserves, not collapse into a clamp).
 *
 * The layout is told by a row's length, so that rows written before it still read:
 * - 2 bytes per step: float16 bits, little-endian, −0 written as +0 (so that equal values tie);
 * - 1 byte per step (before issue 13): int8 round(127 · clamp(v / scale, −1, 1)), c over [−4, 4]
 *   or, older still, [−1, 1] (h over [−1, 1]). They are read as the float16 of their dequantized
 *   value (the order, so AUC and correlation, is the int8 one) and flagged `approximate`;
 *   `cellscope reindex` rebuilds them.
 */
const LEGACY_C_SCALE = 4;

/** Stores one block of cell-major values [H][len] (float16 values, decoded) as H column rows. */
export async function storeColumnBlock(db: Db, rec: RecordingSummary, layer: number, quantity: string, block: number, values: Float32Array, len: number): Promise<void> {
  const H = recordedLayer(rec, layer).units;
  const negativeZero = toFloat16(-0);
  await db.raw.transaction(async (tx) => {
    for (let c = 0; c < H; c++) {
      const bits = new Uint16Array(len);
      encodeF16(values.subarray(c * len, (c + 1) * len), bits);
      for (let t = 0; t < len; t++) if (bits[t] === negativeZero) bits[t] = 0;
      await tx.run('INSERT INTO "CellColumn" ("recordingId", "layer", "quantity", "cell", "block", "data") VALUES (?, ?, ?, ?, ?, ?)', [
        rec.id, layer, quantity, c, block, new Uint8Array(bits.buffer),
      ]);
    }
  });
}

/** Cells' whole histories as float16 bits, [cells.length][T] (row k: cells[k]). */
export interface ColumnHalves {
  halves: Uint16Array;
  /** Some rows were in the int8 layout: values clamped and rounded (see above). */
  approximate: boolean;
}

/** The given cells' whole histories as stored (float16 bits), [cells.length][T]. */
export async function loadColumnHalves(db: Db, rec: RecordingSummary, layer: number, quantity: string, cells: readonly number[]): Promise<ColumnHalves> {
  const T = rec.end - rec.start;
  const blocks = Math.ceil(T / TRACK_BLOCK);
  const halves = new Uint16Array(cells.length * T);
  let approximate = false;
  for (const [k, cell] of cells.entries()) {
    const rows = await db.raw.query<{ block: number; data: Uint8Array }>(
      'SELECT "block", "data" FROM "CellColumn" WHERE "recordingId" = ? AND "layer" = ? AND "quantity" = ? AND "cell" = ? ORDER BY "block"',
      [rec.id, layer, quantity, cell],
    );
    if (rows.length !== blocks) throw new ConflictError(`recording ${rec.id} has no columns for layer ${layer} ${quantity} (soft match, cell finder): record the range again`);
    for (const r of rows) {
      const len = Math.min(TRACK_BLOCK, T - r.block * TRACK_BLOCK);
      const at = k * T + r.block * TRACK_BLOCK;
      if (r.data.byteLength === 2 * len) halves.set(u16View(r.data), at);
      else if (r.data.byteLength === len) {
        approximate = true;
        halves.set(legacyHalves(r.data, quantity), at);
      } else throw new Error(`column block ${r.block} of recording ${rec.id} (layer ${layer} ${quantity} cell ${cell}) has ${r.data.byteLength} bytes for ${len} steps`);
    }
  }
  return { halves, approximate };
}

/** Cells loaded at a time when every cell of a layer is read: 32 × 1M steps is 64 MB of float16. */
const COLUMN_BATCH = 32;

/**
 * Every cell's whole history of a layer's quantity, a batch of cells at a time (a 1M-step × 512
 * layer would be 1 GB at once): `visit` gets each cell's column, in cell order, and whether it
 * was read from the older int8 layout.
 */
export async function forEachColumn(db: Db, rec: RecordingSummary, layer: number, quantity: string, units: number, visit: (cell: number, column: Uint16Array, approximate: boolean) => void): Promise<void> {
  const T = rec.end - rec.start;
  for (let c0 = 0; c0 < units; c0 += COLUMN_BATCH) {
    const cells = Array.from({ length: Math.min(COLUMN_BATCH, units - c0) }, (_, k) => c0 + k);
    const { halves, approximate } = await loadColumnHalves(db, rec, layer, quantity, cells);
    cells.forEach((cell, k) => visit(cell, halves.subarray(k * T, (k + 1) * T), approximate));
  }
}

/** An int8 row as the float16 bits of its dequantized values. */
function legacyHalves(bytes: Uint8Array, quantity: string): Uint16Array {
  const step = (quantity === 'c' ? LEGACY_C_SCALE : 1) / 127;
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint16Array(q.length);
  encodeF16(Float32Array.from(q, (v) => v * step), out);
  for (let t = 0; t < out.length; t++) if (q[t] === 0) out[t] = 0;
  return out;
}

/** The given cells' whole histories as float32, [cells.length][T] (row k: cells[k]). */
export async function loadColumns(db: Db, rec: RecordingSummary, layer: number, quantity: string, cells: readonly number[]): Promise<{ values: Float32Array; approximate: boolean }> {
  const { halves, approximate } = await loadColumnHalves(db, rec, layer, quantity, cells);
  const table = decodeTable();
  return { values: Float32Array.from(halves, (h) => table[h] as number), approximate };
}

/** Whether any of a recording's columns are still in the int8 layout (cellscope reindex rebuilds them). */
export async function hasLegacyColumns(db: Db, rec: RecordingSummary): Promise<boolean> {
  const T = rec.end - rec.start;
  if (T <= 0) return false;
  // Every row of a recording was written by one indexing pass: block 0 of cell 0 tells.
  const rows = await db.raw.query<{ data: Uint8Array }>('SELECT "data" FROM "CellColumn" WHERE "recordingId" = ? AND "block" = 0 AND "cell" = 0 LIMIT 1', [rec.id]);
  const first = rows[0];
  return first !== undefined && first.data.byteLength === Math.min(T, TRACK_BLOCK);
}
