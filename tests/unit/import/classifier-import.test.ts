import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDb } from '../../helpers/temp-db.ts';
import { FIXTURES, FORWARD, type Forward } from '../../helpers/torch-forward.ts';
import type { Db } from '../../../lib/db/client.ts';
import { createSequenceCorpus } from '../../../lib/db/corpora.ts';
import { getRun } from '../../../lib/db/runs.ts';
import { exportBytes, exportStates } from '../../../lib/export/states-export.ts';
import { importModelFile } from '../../../lib/import/import-model.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../../lib/jobs/record-job.ts';
import { recordingPredictions } from '../../../lib/record/recording-reads.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { saliencyAt } from '../../../lib/saliency/saliency.ts';
import { saliencySourceOfRecording } from '../../../lib/saliency/saliency-source.ts';

// Issue 12: a many-to-one classifier (PyTorch's Embedding → LSTM(20) → Linear(20, 3) on the last
// state, tests/fixtures/torch/sentiment-lstm.pt) is imported with its class names into a corpus
// of labelled sequences: the check is its accuracy on them, and the recording holds the class
// probabilities after every step, PyTorch's own (forward.json) to float16 precision.
const want = FORWARD['sentiment-lstm.pt'] as Forward;
const CLASSES = ['negative', 'neutral', 'positive'];
const CHARS = 'abcdefghijkl';
const first = want.ids.map((id) => CHARS[id]).join('');
// Sequence 0 is forward.json's; the others vary it. The labels are the model's own answers
// (from PyTorch for sequence 0) for two of them and a wrong one for the third.
const argmax = (row: number[]): number => row.indexOf(Math.max(...row));
const answer0 = CLASSES[argmax(want.logp.at(-1) as number[])] as string;
const wrong0 = CLASSES.find((c) => c !== answer0) as string;
const sequences = { texts: [first, first.slice(0, 9), first, 'lkjihgfedcba'], labels: [answer0, null, wrong0, 'unheard-of'] };

let db: Db;
let cleanup: () => Promise<void>;
let corpusId = 0;
const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'sentiment-lstm.pt')));

before(async () => {
  ({ db, cleanup } = await tempDb());
  corpusId = (await createSequenceCorpus(db, { name: 'reviews', sequences, unit: 'char' })).id;
});
after(() => cleanup());

test('a classifier imports with its class names: accuracy on the labelled sequences, no bits per character', async () => {
  const vocab = JSON.stringify(Object.fromEntries([...CHARS].map((c, k) => [c, k])));
  const r = await importModelFile(db, { fileName: 'sentiment-lstm.pt', bytes, corpusId, vocab, classes: JSON.stringify(CLASSES) });
  assert.equal(r.summary, 'Embedding(12→6) → LSTM(20) → Linear(3 classes)');
  assert.deepEqual([r.valBpc, r.trainBpc], [null, null]);
  // Sequences 0 and 2 carry a known label (the model's answer, then a wrong one); 1 has none and 3 one not among the classes.
  assert.deepEqual(r.classifier, { classes: CLASSES, sequences: 2, accuracy: 0.5 });
  assert.deepEqual((await getRun(db, r.runId)).config.classes, CLASSES);
  await assert.rejects(importModelFile(db, { fileName: 'sentiment-lstm.pt', bytes, corpusId, vocab }), /no module has a \[12, 20\] weight/);
  await assert.rejects(importModelFile(db, { fileName: 'sentiment-lstm.pt', bytes, corpusId, vocab, classes: '["a", "a"]' }), /class "a" is named twice/);
  await assert.rejects(importModelFile(db, { fileName: 'sentiment-lstm.pt', bytes, corpusId, vocab, classes: '{"a": 0}' }), /must be a JSON list of class names/);

  // Recorded: the class probabilities after every step, and p(label) where the label is known.
  const started = await startRecording(db, { runId: r.runId });
  await db.prisma.job.update({ where: { id: started.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, started.jobId), started.recordingId);
  const file = await exportStates(db, started.recordingId, { layer: 0, quantity: 'classes', sequence: 0, format: 'json' });
  const json = JSON.parse(new TextDecoder().decode(await exportBytes(file))) as { classes: string[]; data: number[][] };
  assert.deepEqual(json.classes, CLASSES);
  assert.equal(json.data.length, first.length);
  let worst = 0;
  want.logp.forEach((row, t) => row.forEach((lp, c) => (worst = Math.max(worst, Math.abs((json.data[t]?.[c] as number) - Math.exp(lp))))));
  assert.ok(worst < 2e-3, `class probabilities within float16 precision of PyTorch's, worst ${worst}`);
  const preds = await recordingPredictions(db, started.recordingId, 0, first.length + 9);
  assert.deepEqual(preds.top[first.length - 1]?.chars[0], answer0, 'the top prediction after the last step is the class PyTorch answers');
  assert.equal(preds.top[0]?.chars.length, 3, 'three classes, not five top tokens');
  const pLabel = Math.exp((want.logp.at(-1) as number[])[CLASSES.indexOf(answer0)] as number);
  assert.ok(Math.abs((preds.nextProb[first.length - 1] as number) - pLabel) < 2e-3, 'next.prob holds p(the sequence\'s label)');
  assert.equal(preds.nextProb[first.length], null, 'sequence 1 has no label');
  await assert.rejects(exportStates(db, started.recordingId, { layer: 0, quantity: 'classes', sequence: 4, format: 'npy' }), /sequence 4 does not exist: the corpus has sequences 0-3/);

  // Saliency of the predicted class's score (Li et al.), its window kept inside the sequence.
  const src = await saliencySourceOfRecording(db, started.recordingId);
  const s = saliencyAt(src, { pos: first.length - 1 });
  assert.deepEqual([s.target, s.targetIsNext, s.window], [answer0, true, first.length]);
  assert.ok(Math.abs(s.targetProb - pLabel) < 1e-5, 'the predicted class\'s probability, as PyTorch computes it');
  const third = first.length + 9;
  const inThird = saliencyAt(src, { pos: third + 4, target: 'neutral' });
  assert.deepEqual([inThird.window, inThird.inputs[0]?.pos, inThird.target], [5, third, 'neutral'], 'the window starts at the sequence start, not in the sequence before');
  assert.throws(() => saliencyAt(src, { pos: 3, target: 'sarcastic' }), /target must be one of the classifier's classes \(negative, neutral, positive\)/);
  await assert.rejects(startRecording(db, { runId: r.runId, saliency: { start: 0, end: 10 } }), /stored saliency follows the next character/);
});
