import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { readoutColumn } from '../../../lib/causal/readout-column.ts';
import { saliencySourceOfRecording } from '../../../lib/saliency/saliency-source.ts';

let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;

before(async () => {
  ({ db, cleanup } = await tempDb());
  const { runId } = await trainedRun(db, 'she said "yes, (maybe) no" and left.\n'.repeat(40), { hidden: 16, layers: 2, batch: 4, seq: 16, steps: 8, evalEvery: 8, checkpointEvery: 8, evalChars: 100 });
  recordingId = await recordedRange(db, { runId, start: 0, end: 400 });
});
after(() => cleanup());

test('a top-layer h cell\'s read-out row: the tokens it pushes up and down, by their weights in W_out', async () => {
  const col = await readoutColumn(db, recordingId, { layer: 1, quantity: 'h', cell: 5 }, 4);
  assert.ok(col);
  const src = await saliencySourceOfRecording(db, recordingId);
  const [, V] = src.model.outKernel?.shape as [number, number];
  const row = Array.from((src.model.outKernel?.dataSync() as Float32Array).subarray(5 * V, 6 * V));
  const byWeight = row.map((w, k) => ({ token: src.vocab.chars[k], weight: w })).sort((a, b) => b.weight - a.weight);
  assert.deepEqual(col.up, byWeight.slice(0, 4));
  assert.deepEqual(col.down, byWeight.slice(-4).reverse());
  assert.equal(await readoutColumn(db, recordingId, { layer: 0, quantity: 'h', cell: 5 }), null, 'a lower layer reaches the output only through the layers above');
  assert.equal(await readoutColumn(db, recordingId, { layer: 1, quantity: 'c', cell: 5 }), null, 'c reaches it through h');
});
