import type { RawSql } from '../db/raw-sql.ts';
import type { ChunkRow } from './recorder.ts';

/**
 * State chunks go through the database driver directly: Prisma's per-row cost makes bulk blob
 * writes several times slower (shared/STACK.md), and window reads are the hot path of every view.
 */
export async function writeChunks(raw: RawSql, recordingId: number, rows: readonly ChunkRow[]): Promise<void> {
  if (rows.length === 0) return;
  await raw.transaction(async (tx) => {
    for (const r of rows) {
      await tx.run(
        'INSERT INTO "StateChunk" ("recordingId", "layer", "quantity", "chunk", "start", "length", "data") VALUES (?, ?, ?, ?, ?, ?, ?) ' +
          'ON CONFLICT ("recordingId", "layer", "quantity", "chunk") DO UPDATE SET "start" = excluded."start", "length" = excluded."length", "data" = excluded."data"',
        [recordingId, r.layer, r.quantity, r.chunk, r.start, r.length, r.data],
      );
    }
  });
}

export interface StoredChunk {
  chunk: number;
  start: number;
  length: number;
  data: Uint8Array;
}

/** Chunks firstChunk..lastChunk (inclusive) of one layer and quantity, in order. */
export async function readChunks(
  raw: RawSql,
  recordingId: number,
  layer: number,
  quantity: string,
  firstChunk: number,
  lastChunk: number,
): Promise<StoredChunk[]> {
  return raw.query<StoredChunk>(
    'SELECT "chunk", "start", "length", "data" FROM "StateChunk" WHERE "recordingId" = ? AND "layer" = ? AND "quantity" = ? AND "chunk" >= ? AND "chunk" <= ? ORDER BY "chunk"',
    [recordingId, layer, quantity, firstChunk, lastChunk],
  );
}

export async function deleteChunks(raw: RawSql, recordingId: number): Promise<void> {
  await raw.run('DELETE FROM "StateChunk" WHERE "recordingId" = ?', [recordingId]);
}
