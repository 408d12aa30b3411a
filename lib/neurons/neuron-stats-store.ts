import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { CellStat } from './cell-stats.ts';

/** NeuronStat rows: one per recording, layer, quantity and cell (lib/neurons/cell-stats.ts). */
export async function storeCellStats(db: Db, rec: RecordingSummary, layer: number, quantity: string, stats: readonly CellStat[]): Promise<void> {
  await db.raw.transaction(async (tx) => {
    await tx.run('DELETE FROM "NeuronStat" WHERE "recordingId" = ? AND "layer" = ? AND "quantity" = ?', [rec.id, layer, quantity]);
    for (const s of stats) {
      const { cell, mean, std, low, high, ...rest } = s;
      await tx.run('INSERT INTO "NeuronStat" ("recordingId", "layer", "quantity", "cell", "mean", "std", "low", "high", "data") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        rec.id, layer, quantity, cell, mean, std, low, high, JSON.stringify(rest),
      ]);
    }
  });
}

export async function clearCellStats(db: Db, recordingId: number): Promise<void> {
  await db.raw.run('DELETE FROM "NeuronStat" WHERE "recordingId" = ?', [recordingId]);
}

export async function loadCellStat(db: Db, rec: RecordingSummary, layer: number, quantity: string, cell: number): Promise<CellStat> {
  const rows = await db.raw.query<{ cell: number; mean: number; std: number; low: number; high: number; data: string }>(
    'SELECT "cell", "mean", "std", "low", "high", "data" FROM "NeuronStat" WHERE "recordingId" = ? AND "layer" = ? AND "quantity" = ? AND "cell" = ?',
    [rec.id, layer, quantity, cell],
  );
  const row = rows[0];
  if (!row) {
    const any = await db.raw.query<{ n: number }>('SELECT COUNT(*) AS "n" FROM "NeuronStat" WHERE "recordingId" = ?', [rec.id]);
    if (Number(any[0]?.n ?? 0) === 0) throw new ConflictError(`recording ${rec.id} has no neuron statistics (it was recorded before they existed): rebuild them with cellscope reindex --recording ${rec.id}`);
    throw new NotFoundError('neuron', `layer ${layer} ${quantity} ${cell} of recording ${rec.id}`);
  }
  return { cell: Number(row.cell), mean: Number(row.mean), std: Number(row.std), low: Number(row.low), high: Number(row.high), ...(JSON.parse(row.data) as Omit<CellStat, 'cell' | 'mean' | 'std' | 'low' | 'high'>) };
}

export interface SaturationPoint {
  layer: number;
  quantity: string;
  cell: number;
  low: number;
  high: number;
}

/** Low and high saturation fractions of the given quantities' cells, every layer. */
export async function loadSaturation(db: Db, rec: RecordingSummary, quantities: readonly string[]): Promise<SaturationPoint[]> {
  if (quantities.length === 0) return [];
  const rows = await db.raw.query<SaturationPoint>(
    `SELECT "layer", "quantity", "cell", "low", "high" FROM "NeuronStat" WHERE "recordingId" = ? AND "quantity" IN (${quantities.map(() => '?').join(', ')}) ORDER BY "layer", "quantity", "cell"`,
    [rec.id, ...quantities],
  );
  return rows.map((r) => ({ layer: Number(r.layer), quantity: r.quantity, cell: Number(r.cell), low: Number(r.low), high: Number(r.high) }));
}
