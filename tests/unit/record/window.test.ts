import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { writeChunks } from '../../../lib/record/chunk-store.ts';
import { encodeF16, fromFloat16, toFloat16 } from '../../../lib/record/f16.ts';
import { readPredictionWindow, readStateRows, readStateWindow } from '../../../lib/record/window.ts';
import { PREDICTION_LAYER, TOP_K } from '../../../lib/record/quantities.ts';

// A recording of positions [100, 137) with 4 cells, chunks of 8: value(t, cell) = t + cell / 10.
const rec = { id: 1, start: 100, end: 137, stack: [{ units: 4 }], chunkSize: 8 };
const value = (t: number, cell: number): number => fromFloat16(toFloat16((t + cell / 10) / 100));

async function seeded() {
  const handle = await tempDb();
  const { db } = handle;
  const now = new Date().toISOString();
  await db.raw.run(`INSERT INTO "Corpus" ("id","name","text","chars","vocab","trainEnd","createdAt") VALUES (1,'c','',0,'[]',0,?)`, [now]);
  await db.raw.run(`INSERT INTO "Run" ("id","name","corpusId","arch","config","status","step","createdAt","updatedAt") VALUES (1,'r',1,'lstm','{}','completed',0,?,?)`, [now, now]);
  await db.raw.run(`INSERT INTO "Checkpoint" ("id","runId","step","trainLoss","weights","position","createdAt") VALUES (1,1,0,0,?,0,?)`, [new Uint8Array(1), now]);
  await db.raw.run(`INSERT INTO "Recording" ("id","runId","checkpointId","corpusId","start","end","quantities","layers","hidden","chunkSize","codec","status","createdAt") VALUES (1,1,1,1,100,137,'["h"]',1,4,8,'f16','completed',?)`, [now]);
  const rows = [];
  for (let c = 0; c * 8 < 37; c++) {
    const start = 100 + c * 8;
    const length = Math.min(8, 137 - start);
    const f = new Float32Array(length * 4);
    for (let t = 0; t < length; t++) for (let k = 0; k < 4; k++) f[t * 4 + k] = (start + t + k / 10) / 100;
    const h = new Uint16Array(f.length);
    encodeF16(f, h);
    rows.push({ layer: 0, quantity: 'h', chunk: c, start, length, data: new Uint8Array(h.buffer) });
    const idx = new Uint16Array(length * TOP_K).map((_, j) => (start + Math.floor(j / TOP_K)) % 7);
    const prob = new Uint16Array(length * TOP_K).map((_, j) => toFloat16(1 / (2 + (j % TOP_K))));
    const next = new Uint16Array(length).map((_, t) => toFloat16((start + t) / 1000));
    rows.push({ layer: PREDICTION_LAYER, quantity: 'top.index', chunk: c, start, length, data: new Uint8Array(idx.buffer) });
    rows.push({ layer: PREDICTION_LAYER, quantity: 'top.prob', chunk: c, start, length, data: new Uint8Array(prob.buffer) });
    rows.push({ layer: PREDICTION_LAYER, quantity: 'next.prob', chunk: c, start, length, data: new Uint8Array(next.buffer) });
  }
  await writeChunks(db.raw, 1, rows);
  return handle;
}

test('cell windows across chunk boundaries return exactly the stored values, cell-major, clamped to the recording', async () => {
  const { db, cleanup } = await seeded();
  const w = await readStateWindow(db.raw, rec, 0, 'h', 105, 125, [3, 0]);
  assert.deepEqual([w.start, w.end, w.cells], [105, 125, [3, 0]]);
  for (let t = 105; t < 125; t++) {
    assert.equal(w.values[0 * 20 + (t - 105)], value(t, 3));
    assert.equal(w.values[1 * 20 + (t - 105)], value(t, 0));
  }
  const clamped = await readStateWindow(db.raw, rec, 0, 'h', 90, 500);
  assert.deepEqual([clamped.start, clamped.end, clamped.cells.length], [100, 137, 4]);
  const empty = await readStateWindow(db.raw, rec, 0, 'h', 200, 300);
  assert.equal(empty.values.length, 0);
  const rows = await readStateRows(db.raw, rec, 0, 'h', 130, 137);
  for (let t = 130; t < 137; t++) for (let k = 0; k < 4; k++) assert.equal(rows.values[(t - 130) * 4 + k], value(t, k));
  await cleanup();
});

test('prediction windows return the top-5 ids, probabilities and true-next probabilities per position', async () => {
  const { db, cleanup } = await seeded();
  const p = await readPredictionWindow(db.raw, rec, 110, 118);
  for (let t = 110; t < 118; t++) {
    for (let j = 0; j < TOP_K; j++) {
      assert.equal(p.topIndex[(t - 110) * TOP_K + j], t % 7);
      assert.equal(p.topProb[(t - 110) * TOP_K + j], fromFloat16(toFloat16(1 / (2 + j))));
    }
    assert.equal(p.nextProb[t - 110], fromFloat16(toFloat16(t / 1000)));
  }
  await cleanup();
});
