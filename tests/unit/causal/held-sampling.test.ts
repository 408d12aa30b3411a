import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { trainedRun } from '../../helpers/recorded-run.ts';
import { silenced } from '../../helpers/silenced-model.ts';
import type { Db } from '../../../lib/db/client.ts';
import { sampleHeld } from '../../../lib/causal/held-sampling.ts';
import { sampleFromRun } from '../../../lib/train/sample-checkpoint.ts';
import { saliencySourceOfRun } from '../../../lib/saliency/saliency-source.ts';

let db: Db;
let cleanup: () => Promise<void>;
let runId = 0;

before(async () => {
  ({ db, cleanup } = await tempDb());
  ({ runId } = await trainedRun(db, 'she said "yes, (maybe) no" and left.\nhe said "no" and stayed. '.repeat(40), { hidden: 16, layers: 2, batch: 8, seq: 32, steps: 20, learningRate: 0.02, evalEvery: 20, checkpointEvery: 20, evalChars: 200 }));
});
after(() => cleanup());

test('sampling with a cell\'s h held at 0 writes what the model with that cell silenced by hand writes, seed for seed', async () => {
  const src = await saliencySourceOfRun(db, runId);
  const opts = { length: 120, temperature: 0.7, prime: 'he said "', seed: 11 };
  const held = sampleHeld(src.model, src.vocab, opts, { layer: 1, quantity: 'h', cells: '6', set: 'zero' });
  const byHand = sampleHeld(silenced(src.model, 1, 6), src.vocab, opts, { layer: 1, quantity: 'h', cells: '6', set: 'scale:1' });
  assert.equal(held, byHand);
  const free = sampleHeld(src.model, src.vocab, opts, { layer: 1, quantity: 'h', cells: '6', set: 'scale:1' });
  assert.equal(free.length, 120);
});

test('the sample endpoint\'s body takes a held intervention; a bad one is a 400 naming its field', async () => {
  const s = await sampleFromRun(db, runId, { length: 40, temperature: 0.8, seed: 3, hold: { layer: 0, quantity: 'c', cells: [1, 2], set: 'value:3' } });
  assert.equal(s.text.length, 40);
  await assert.rejects(sampleFromRun(db, runId, { length: 10, temperature: 0.8, hold: { layer: 0, quantity: 'c', cells: [1], set: 'mean' } }), (err: Error & { field?: string }) => err.name === 'BadRequestError' && err.field === 'set');
  await assert.rejects(sampleFromRun(db, runId, { length: 10, temperature: 0.8, hold: { layer: 3, quantity: 'c', cells: [1], set: 'zero' } }), (err: Error & { field?: string }) => err.name === 'BadRequestError' && err.field === 'layer');
});
