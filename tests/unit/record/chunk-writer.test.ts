import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { readChunks } from '../../../lib/record/chunk-store.ts';
import { startChunkWriter } from '../../../lib/record/chunk-writer.ts';

async function seedRecording(db: Awaited<ReturnType<typeof tempDb>>['db']): Promise<number> {
  const corpus = await db.prisma.corpus.create({ data: { name: 'c', text: 'abc', chars: 3, vocab: '["a"]', trainEnd: 2 } });
  const run = await db.prisma.run.create({ data: { name: 'r', corpusId: corpus.id, arch: 'lstm', config: '{}', status: 'completed' } });
  const ck = await db.prisma.checkpoint.create({ data: { runId: run.id, step: 1, trainLoss: 1, weights: Uint8Array.of(0) } });
  const rec = await db.prisma.recording.create({ data: { runId: run.id, checkpointId: ck.id, corpusId: corpus.id, start: 0, end: 3, quantities: '["h"]', layers: 1, hidden: 2, chunkSize: 2, codec: 'f16', status: 'running' } });
  return rec.id;
}

test('the chunk writer stores batches on its own thread, in order, with bounded batches in flight', async () => {
  const { db, cleanup } = await tempDb();
  try {
    const recordingId = await seedRecording(db);
    const writer = startChunkWriter(db.target, recordingId, 1);
    for (let c = 0; c < 6; c++) {
      await writer.write([{ layer: 0, quantity: 'h', chunk: c, start: 2 * c, length: 2, data: Uint8Array.of(c, c, c, c, c, c, c, c) }]);
    }
    await writer.flush();
    const rows = await readChunks(db.raw, recordingId, 0, 'h', 0, 10);
    assert.deepEqual(rows.map((r) => [r.chunk, r.start, r.data[0]]), [0, 1, 2, 3, 4, 5].map((c) => [c, 2 * c, c]));
    await writer.close();
  } finally {
    await cleanup();
  }
});

test('a failed write surfaces as a rejected flush, naming the cause', async () => {
  const { db, cleanup } = await tempDb();
  try {
    await seedRecording(db);
    const writer = startChunkWriter(db.target, 999); // no such recording: the foreign key refuses
    await writer.write([{ layer: 0, quantity: 'h', chunk: 0, start: 0, length: 1, data: Uint8Array.of(1, 2) }]);
    await assert.rejects(writer.flush(), /writing state chunks failed: .*FOREIGN KEY/i);
    await writer.close();
  } finally {
    await cleanup();
  }
});
