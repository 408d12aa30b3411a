import type { Db } from './client.ts';
import type { MetricPoint } from '../train/trainer.ts';

/**
 * A run's metric history, one row per point (table RunMetric). Training appends new points;
 * live pages read only what they have not seen; a resumed run drops the points after its
 * checkpoint, which are measured again.
 */
export async function appendMetrics(db: Db, runId: number, points: readonly MetricPoint[]): Promise<void> {
  for (let k = 0; k < points.length; k += 200) {
    const batch = points.slice(k, k + 200);
    // ON CONFLICT: a step written twice (a retried write) keeps its first point.
    await db.raw.run(
      `INSERT INTO "RunMetric" ("runId", "step", "trainLoss", "trainBpc", "valBpc", "charsPerSec", "elapsedMs") VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`,
      batch.flatMap((p) => [runId, p.step, p.trainLoss, p.trainBpc, p.valBpc ?? null, p.charsPerSec, p.elapsedMs]),
    );
  }
}

type Row = { step: number; trainLoss: number; trainBpc: number; valBpc: number | null; charsPerSec: number; elapsedMs: number };
const toPoint = (r: Row): MetricPoint => ({
  step: Number(r.step), trainLoss: Number(r.trainLoss), trainBpc: Number(r.trainBpc), ...(r.valBpc !== null ? { valBpc: Number(r.valBpc) } : {}),
  charsPerSec: Number(r.charsPerSec), elapsedMs: Number(r.elapsedMs),
});

/** The points in step order, skipping the first `skip` (what a live page already has). */
export async function listMetrics(db: Db, runId: number, opts: { skip?: number } = {}): Promise<MetricPoint[]> {
  const rows = await db.raw.query<Row>(
    `SELECT "step", "trainLoss", "trainBpc", "valBpc", "charsPerSec", "elapsedMs" FROM "RunMetric" WHERE "runId" = ? ORDER BY "step" LIMIT ? OFFSET ?`,
    [runId, Number.MAX_SAFE_INTEGER, Math.max(0, opts.skip ?? 0)],
  );
  return rows.map(toPoint);
}

export async function countMetrics(db: Db, runId: number): Promise<number> {
  const [row] = await db.raw.query<{ n: number }>('SELECT COUNT(*) AS "n" FROM "RunMetric" WHERE "runId" = ?', [runId]);
  return Number(row?.n ?? 0);
}

/** Drops the points after `step` (a run resumed from the checkpoint at `step`). */
export async function truncateMetrics(db: Db, runId: number, step: number): Promise<void> {
  await db.raw.run('DELETE FROM "RunMetric" WHERE "runId" = ? AND "step" > ?', [runId, step]);
}

/** Each run's latest validation bits per character, for listings. */
export async function latestValBpc(db: Db, runIds: readonly number[]): Promise<Map<number, number>> {
  if (runIds.length === 0) return new Map();
  const rows = await db.raw.query<{ runId: number; valBpc: number }>(
    `SELECT m."runId", m."valBpc" FROM "RunMetric" m JOIN (SELECT "runId", MAX("step") AS "step" FROM "RunMetric" WHERE "valBpc" IS NOT NULL AND "runId" IN (${runIds.map(() => '?').join(', ')}) GROUP BY "runId") last ON last."runId" = m."runId" AND last."step" = m."step"`,
    [...runIds],
  );
  return new Map(rows.map((r) => [Number(r.runId), Number(r.valBpc)]));
}
