import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import { silenced } from '../../helpers/silenced-model.ts';
import type { Db } from '../../../lib/db/client.ts';
import { causalRank, rankStretches } from '../../../lib/causal/causal-rank.ts';
import { runStreams } from '../../../lib/causal/stream-run.ts';
import { saliencySourceOfRecording } from '../../../lib/saliency/saliency-source.ts';
import type { CharModel } from '../../../models/char-model.ts';
import { NO_EDITS } from '../../../models/fused/state-edit.ts';

let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
const TEXT = 'she said "yes, (maybe) no" and left.\nhe said "no" and stayed. '.repeat(40);
const START = 300;
const END = 1800;
const H = 16;

before(async () => {
  ({ db, cleanup } = await tempDb());
  const { runId } = await trainedRun(db, TEXT, { hidden: H, layers: 2, batch: 8, seq: 32, steps: 40, learningRate: 0.02, evalEvery: 40, checkpointEvery: 40, evalChars: 200 });
  recordingId = await recordedRange(db, { runId, start: 0, end: 2000 });
});
after(() => cleanup());

/** p(true next) at every position of [START, END), as `model` predicts it read in the ranking's stretches. */
async function truthOf(model: CharModel, ids: Int32Array): Promise<Float64Array> {
  const p = new Float64Array(END - START);
  await runStreams({
    model, ids, streams: rankStretches(START, END, H, null), edit: { layer: 0, quantity: 'h', edits: NO_EDITS }, editAt: () => false,
    onScores: (block) => block.positions.forEach((pos, k) => { if (pos >= START && pos < END) p[pos - START] = block.truth[k] as number; }),
  });
  return p;
}

test('causal rank: one entry per cell, the most needed first; each cell\'s effect equals that of the model with the cell silenced by hand', async () => {
  const r = await causalRank(db, recordingId, { layer: 1, quantity: 'h', target: '"', start: START, end: END });
  assert.equal(r.cells.length, H);
  assert.deepEqual(r.cells.map((c) => c.index).sort((a, b) => a - b), Array.from({ length: H }, (_, i) => i));
  r.cells.forEach((c, i) => assert.ok(i === 0 || c.deltaLogp >= (r.cells[i - 1]?.deltaLogp ?? -Infinity)));
  const quotes = [...TEXT.slice(START + 1, END + 1)].filter((ch) => ch === '"').length;
  assert.equal(r.targets, quotes, 'the positions before each quote');
  const src = await saliencySourceOfRecording(db, recordingId);
  const clean = await truthOf(src.model, src.ids);
  let baseline = 0;
  for (let t = 0; t < END - START; t++) if (TEXT[START + t + 1] === '"') baseline += Math.log(clean[t] as number);
  assert.ok(Math.abs(r.baselineLogp - baseline / quotes) < 1e-6);
  for (const cell of [r.cells[0], r.cells[H - 1], r.cells[7]]) {
    if (!cell) continue;
    const ablated = await truthOf(silenced(src.model, 1, cell.index), src.ids);
    let sum = 0;
    for (let t = 0; t < END - START; t++) if (TEXT[START + t + 1] === '"') sum += Math.log(ablated[t] as number) - Math.log(clean[t] as number);
    assert.ok(Math.abs(cell.deltaLogp - sum / quotes) < 1e-5, `cell ${cell.index}: ${cell.deltaLogp} vs by hand ${sum / quotes}`);
    assert.ok(cell.auc !== undefined && cell.auc >= 0 && cell.auc <= 1);
  }
  assert.ok(r.cells[0] && r.cells[0].deltaLogp < 0, 'some cell matters');
});

test('causal rank on a feature: the positions inside quotes; c of layer 0', async () => {
  const r = await causalRank(db, recordingId, { layer: 0, quantity: 'c', target: 'feature:quote', start: START, end: END });
  assert.equal(r.cells.length, H);
  assert.ok(r.targets > 100 && r.targets < END - START);
  assert.ok(r.cells.every((c) => Number.isFinite(c.deltaLogp) && c.quantity === 'c' && c.layer === 0));
});

test('causal rank, bad input: a 400 naming the field', async () => {
  for (const [input, field, pattern] of [
    [{ layer: 0, target: 'Z' }, 'target', /"Z" is not in the model's vocabulary/],
    [{ layer: 0, target: 'feature:nope' }, 'target', /target feature:F takes an on\/off feature/],
    [{ layer: 0, target: '(', start: 0, end: 5 }, 'target', /occurs nowhere in positions 0\.\.5/],
    [{ layer: 2, target: '"' }, 'layer', /layer must be one of 0\.\.1/],
    [{ layer: 0, quantity: 'x', target: '"' }, 'quantity', /quantity must be one of/],
  ] as const) {
    await assert.rejects(causalRank(db, recordingId, input), (err: Error & { field?: string }) => {
      assert.equal(err.name, 'BadRequestError', err.message);
      assert.equal(err.field, field);
      assert.match(err.message, pattern);
      return true;
    });
  }
});
