import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { intervene, warmedStretches } from '../../../lib/causal/intervene.ts';
import { runStreams } from '../../../lib/causal/stream-run.ts';
import { saliencySourceOfRecording } from '../../../lib/saliency/saliency-source.ts';
import { readPredictionWindow } from '../../../lib/record/window.ts';
import { silenced } from '../../helpers/silenced-model.ts';
import { NO_EDITS } from '../../../models/fused/state-edit.ts';

let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
const TEXT = 'she said "yes, (maybe) no" and left.\nhe said "no" and stayed. '.repeat(40);
const START = 200;
const END = 1700;

before(async () => {
  ({ db, cleanup } = await tempDb());
  const { runId } = await trainedRun(db, TEXT, { hidden: 16, layers: 2, batch: 8, seq: 32, steps: 40, learningRate: 0.02, evalEvery: 40, checkpointEvery: 40, evalChars: 200 });
  recordingId = await recordedRange(db, { runId, start: 0, end: 2000 });
});
after(() => cleanup());

test('an intervention that changes nothing (h · 1, or a regex that matches nowhere) leaves every prediction as it was', async () => {
  const same = await intervene(db, recordingId, { layer: 1, quantity: 'h', cells: '3,7', set: 'scale:1', start: START, end: END });
  assert.equal(same.positions, END - START);
  assert.equal(same.intervened, END - START);
  assert.equal(same.deltaBpc, 0);
  assert.ok(same.deltaLogp?.every((d) => d === 0));
  const nowhere = await intervene(db, recordingId, { layer: 0, quantity: 'c', cells: '1', set: 'zero', where: 'regex:QQQ', start: START, end: END });
  assert.equal(nowhere.intervened, 0);
  assert.equal(nowhere.deltaBpc, 0);
});

test('the unedited predictions are the recording\'s own (to its float16 precision), and the per-class counts add up', async () => {
  const r = await intervene(db, recordingId, { layer: 0, quantity: 'c', cells: '2,5,9', set: 'zero', start: START, end: END });
  const rec = await getRecording(db, recordingId);
  const rows = await readPredictionWindow(db.raw, rec, START, END);
  let nats = 0;
  for (let t = 0; t < END - START; t++) nats -= Math.log(rows.nextProb[t] as number);
  assert.ok(Math.abs(r.bpcBefore - nats / (END - START) / Math.LN2) < 0.01, `${r.bpcBefore} vs the recording's ${nats / (END - START) / Math.LN2}`);
  assert.equal(r.perClass.reduce((a, c) => a + c.count, 0), r.positions);
  const weighted = r.perClass.reduce((a, c) => a + c.count * c.deltaBpc, 0) / r.positions;
  assert.ok(Math.abs(weighted - r.deltaBpc) < 1e-9, 'the classes add up to the whole');
  assert.ok(r.deltaBpc !== 0, 'zeroing three cells changes something');
  for (let i = 1; i < r.topPositions.length; i++) assert.ok(Math.abs(r.topPositions[i - 1]?.deltaLogp ?? 0) >= Math.abs(r.topPositions[i]?.deltaLogp ?? 0));
  const top = r.topPositions[0];
  assert.ok(top && top.before.length === 5 && top.after.length === 5);
  assert.equal(top.next, TEXT[top.pos + 1]);
  assert.ok(Math.abs((r.deltaLogp?.[top.pos - START] ?? NaN) - top.deltaLogp) < 1e-12);
});

test('ablating h of a cell everywhere equals running, unedited, a model whose weights out of that cell were zeroed by hand', async () => {
  // From the corpus's start, so that no warm-up precedes the range (the intervention holds inside it only).
  const r = await intervene(db, recordingId, { layer: 1, quantity: 'h', cells: '4', set: 'zero', start: 0, end: END });
  const src = await saliencySourceOfRecording(db, recordingId);
  const byHand = silenced(src.model, 1, 4);
  const p = new Float32Array(END);
  await runStreams({
    model: byHand, ids: src.ids, streams: warmedStretches(0, END, 32, null), edit: { layer: 0, quantity: 'h', edits: NO_EDITS },
    editAt: () => false,
    onScores: (block) => block.positions.forEach((pos, k) => { if (pos >= 0 && pos < END) p[pos] = block.truth[k] as number; }),
  });
  let nats = 0;
  for (const v of p) nats -= Math.log(v);
  assert.ok(Math.abs(r.bpcAfter - nats / END / Math.LN2) < 1e-5, `${r.bpcAfter} vs the silenced model's ${nats / END / Math.LN2}`);
});

test('bad input: a 400 naming the field', async () => {
  for (const [input, field, pattern] of [
    [{ layer: 5, quantity: 'h', cells: '1', set: 'zero' }, 'layer', /layer must be one of 0\.\.1/],
    [{ layer: 0, quantity: 'q', cells: '1', set: 'zero' }, 'quantity', /quantity must be one of c, h, i, f, g, o/],
    [{ layer: 0, quantity: 'c', cells: '1,99', set: 'zero' }, 'cells', /"99" is not a cell of layer 0, which has cells 0 to 15/],
    [{ layer: 0, quantity: 'c', cells: '1,1', set: 'zero' }, 'cells', /once/],
    [{ layer: 0, quantity: 'c', cells: '1', set: 'value:1e30' }, 'set', /within ±10000/],
    [{ layer: 0, quantity: 'c', cells: '1', set: 'value:NaN' }, 'set', /finite/],
    [{ layer: 0, quantity: 'c', cells: '1', set: 'clamp' }, 'set', /zero, mean, value:V/],
    [{ layer: 0, quantity: 'c', cells: '1', set: 'position:5000' }, 'set', /recorded position, 0 to 1999/],
    [{ layer: 0, quantity: 'c', cells: '1', set: 'zero', where: 'feature:nope' }, 'where', /on\/off feature/],
    [{ layer: 0, quantity: 'c', cells: '1', set: 'zero', start: 1900, end: 2500 }, 'end', /inside the recorded range 0\.\.2000/],
  ] as const) {
    await assert.rejects(intervene(db, recordingId, input), (err: Error & { field?: string }) => {
      assert.equal(err.name, 'BadRequestError', err.message);
      assert.equal(err.field, field);
      assert.match(err.message, pattern);
      return true;
    });
  }
});
