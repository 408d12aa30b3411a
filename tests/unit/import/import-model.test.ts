import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { saveTfjsModel } from '../../helpers/tfjs-model-files.ts';
import type { Db } from '../../../lib/db/client.ts';
import { createCorpus } from '../../../lib/db/corpora.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { getRun } from '../../../lib/db/runs.ts';
import { importTfjsModel } from '../../../lib/import/import-model.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../../lib/jobs/record-job.ts';
import { executeTrainJob } from '../../../lib/jobs/train-job.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { readPredictionWindow } from '../../../lib/record/window.ts';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';

let db: Db;
let cleanup: () => Promise<void>;
let corpusId = 0;
const TEXT = 'the cat sat on the mat. the dog ate the hat.\n'.repeat(30);
// The model's own order: not Cellscope's sorted one, so a mix-up would show.
const CHARS = [...new Set(TEXT)].sort().reverse();
const V = CHARS.length;
const vocabJson = JSON.stringify(Object.fromEntries(CHARS.map((c, k) => [c, k])));

async function saved(): Promise<{ modelJson: string; files: Map<string, Uint8Array>; keras: tf.LayersModel }> {
  await ensureBackend();
  const keras = tf.sequential();
  keras.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, V], recurrentActivation: 'sigmoid' }));
  keras.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  keras.setWeights(keras.getWeights().map((w) => tf.mul(w, 2)));
  const { modelJson, files } = await saveTfjsModel(keras);
  return { modelJson: JSON.stringify(modelJson), files, keras };
}

before(async () => {
  ({ db, cleanup } = await tempDb());
  corpusId = (await createCorpus(db, { name: 'animals', text: TEXT })).id;
});
after(() => cleanup());

test('an uploaded model becomes a run with its own vocabulary, and its recording holds model.predict\'s probabilities', async () => {
  const { modelJson, files, keras } = await saved();
  const r = await importTfjsModel(db, { modelJson, files, vocab: vocabJson, corpusId, name: 'uploaded lstm' });
  assert.equal(r.summary, `one-hot(${V}) → LSTM(16) → Dense softmax(${V})`);
  assert.ok(typeof r.valBpc === 'number' && Number.isFinite(r.valBpc) && r.valBpc > 0);
  assert.equal(r.classifier, null);
  const run = await getRun(db, r.runId);
  assert.equal(run.status, 'completed');
  assert.deepEqual(run.vocab, CHARS);
  assert.equal(run.config.source, 'imported');
  // Recorded like any run.
  const started = await startRecording(db, { runId: r.runId, start: 0, end: 200 });
  await db.prisma.job.update({ where: { id: started.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, started.jobId), started.recordingId);
  const rec = await getRecording(db, started.recordingId);
  assert.equal(rec.status, 'completed');
  const p = await readPredictionWindow(db.raw, rec, 0, 60);
  const ids = [...TEXT.slice(0, 60)].map((c) => CHARS.indexOf(c));
  const want = tf.tidy(() => (keras.predict(tf.oneHot(tf.tensor2d(ids, [1, 60], 'int32'), V).toFloat()) as tf.Tensor).arraySync() as number[][][]);
  for (let t = 0; t < 60; t++) {
    const row = want[0]?.[t] ?? [];
    const best = row.indexOf(Math.max(...row));
    assert.equal(p.topIndex[t * 5], best, `step ${t}: the recorded top-1 is model.predict's argmax`);
    assert.ok(Math.abs((p.topProb[t * 5] ?? 0) - (row[best] ?? 0)) < 2e-3, `step ${t}: probability as recorded (float16)`);
  }
  // Imported runs are explored, not trained here.
  const job = await db.prisma.job.create({ data: { kind: 'train', status: 'running', payload: '{}', runId: r.runId } });
  await assert.rejects(executeTrainJob(db, jobContext(db, job.id), r.runId), /imported model: it is explored, not trained here/);
  keras.dispose();
});

test('vocabulary: built from the corpus with a warning when it fits, refused when it does not; bad maps named; nothing stored', async () => {
  const { modelJson, files, keras } = await saved();
  const before = await db.prisma.run.count();
  const built = await importTfjsModel(db, { modelJson, files, corpusId });
  assert.match(built.warnings.join(' '), /no vocabulary was given: it was built from corpus "animals"/);
  const other = (await createCorpus(db, { name: 'short', text: 'abcabc abc' })).id;
  await assert.rejects(importTfjsModel(db, { modelJson, files, corpusId: other }), /corpus \d+ has 4 distinct characters while the model reads \d+: upload the character → index map/);
  await assert.rejects(importTfjsModel(db, { modelJson, files, corpusId: other, vocab: vocabJson }), /cannot be read by this model: character "b"/);
  await assert.rejects(importTfjsModel(db, { modelJson, files, corpusId, vocab: '{"ab": 0}' }), /key "ab" is not one character/);
  await assert.rejects(importTfjsModel(db, { modelJson, files, corpusId, vocab: JSON.stringify({ a: 0, b: 0 }) }), /index 0 is given to both "a" and "b"/);
  await assert.rejects(importTfjsModel(db, { modelJson, files, corpusId, vocab: JSON.stringify({ a: V }) }), new RegExp(`must be an integer from 0 to ${V - 1}`));
  await assert.rejects(importTfjsModel(db, { modelJson: '{oops', files, corpusId }), /model.json is not valid JSON/);
  await assert.rejects(importTfjsModel(db, { modelJson, files, corpusId: 999 }), /corpus 999 not found/);
  assert.equal(await db.prisma.run.count(), before + 1, 'only the accepted upload stored a run');
  keras.dispose();
});

test('a word-level model with an Embedding reads a word-level corpus: equal to model.predict through the recording', async () => {
  const { createWordCorpus } = await import('../../../lib/db/corpora.ts');
  const text = 'the cat sat on the mat and the dog sat on the log\n'.repeat(20);
  const corpus = await createWordCorpus(db, { name: 'words', text });
  assert.equal(corpus.unit, 'word');
  const words = [...new Set(text.split(/\s+/).filter(Boolean))];
  // The model's own order of the words, given as a vocabulary map.
  const order = [...words].reverse();
  const V = order.length;
  await ensureBackend();
  const keras = tf.sequential();
  keras.add(tf.layers.embedding({ inputDim: V, outputDim: 8, inputLength: 12 }));
  keras.add(tf.layers.lstm({ units: 16, returnSequences: true, recurrentActivation: 'sigmoid' }));
  keras.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  keras.setWeights(keras.getWeights().map((w) => tf.mul(w, 2)));
  const { modelJson, files } = await saveTfjsModel(keras);
  const vocab = JSON.stringify(Object.fromEntries(order.map((w, k) => [w, k])));
  await assert.rejects(importTfjsModel(db, { modelJson: JSON.stringify(modelJson), files, corpusId, vocab }), /is not one character, and the corpus is character-level/);
  const r = await importTfjsModel(db, { modelJson: JSON.stringify(modelJson), files, corpusId: corpus.id, vocab });
  assert.equal(r.summary, `Embedding(${V}→8) → LSTM(16) → Dense softmax(${V})`);
  const started = await startRecording(db, { runId: r.runId, start: 0, end: 40 });
  await db.prisma.job.update({ where: { id: started.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, started.jobId), started.recordingId);
  const rec = await getRecording(db, started.recordingId);
  assert.equal(rec.unit, 'word');
  const p = await readPredictionWindow(db.raw, rec, 0, 12);
  const ids = text.split(/\s+/).filter(Boolean).slice(0, 12).map((w) => order.indexOf(w));
  const want = tf.tidy(() => (keras.predict(tf.tensor2d(ids, [1, 12])) as tf.Tensor).arraySync() as number[][][]);
  for (let t = 0; t < 12; t++) {
    const row = want[0]?.[t] ?? [];
    const best = row.indexOf(Math.max(...row));
    assert.equal(p.topIndex[t * 5], best, `word ${t}: the recorded top-1 is model.predict's argmax`);
    assert.ok(Math.abs((p.topProb[t * 5] ?? 0) - (row[best] ?? 0)) < 2e-3);
  }
  // Saliency over words: the inputs are the words read, and a word can be the target.
  const { saliencySourceOfRecording } = await import('../../../lib/saliency/saliency-source.ts');
  const { saliencyAt } = await import('../../../lib/saliency/saliency.ts');
  const src = await saliencySourceOfRecording(db, started.recordingId);
  const sal = saliencyAt(src, { pos: 5, window: 4, target: 'dog' });
  assert.deepEqual(sal.inputs.map((i) => i.char), ['sat', 'on', 'the', 'mat']);
  assert.equal(sal.target, 'dog');
  assert.ok(sal.inputs.every((i) => Number.isFinite(i.grad) && i.grad > 0));
  assert.throws(() => saliencyAt(src, { pos: 5, target: 'zebra' }), /target "zebra" is not in the model's vocabulary/);
  keras.dispose();
});
