import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import type { Db } from '../../../lib/db/client.ts';
import { createCorpus } from '../../../lib/db/corpora.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../../lib/jobs/record-job.ts';
import { executeTrainJob } from '../../../lib/jobs/train-job.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { startTrainingRun } from '../../../lib/train/start-run.ts';
import { forgetSaliencySources, saliencySourceOfRecording, saliencySourceOfRun } from '../../../lib/saliency/saliency-source.ts';
import { decaySamplePositions, SALIENCY_BURN_IN, saliencyAt, saliencyDecay } from '../../../lib/saliency/saliency.ts';
import { saliencyBatch } from '../../../models/saliency.ts';
import { featureTrack } from '../../../lib/corpus/feature-tracks.ts';
import { recordingFeatureWindow } from '../../../lib/search/recording-features.ts';

let db: Db;
let cleanup: () => Promise<void>;
let runId = 0;
let recordingId = 0;
const TEXT = 'he said "go (now)" and went.\n'.repeat(60);
const START = 50;
const END = 1500;

before(async () => {
  ({ db, cleanup } = await tempDb());
  const corpus = await createCorpus(db, { name: 'said', text: TEXT });
  const config = parseTrainConfig({ layers: 1, hidden: 16, batch: 4, seq: 16, steps: 20, learningRate: 0.02, evalEvery: 20, checkpointEvery: 20, evalChars: 200 });
  const started = await startTrainingRun(db, { corpusId: corpus.id, config, claim: true });
  runId = started.runId;
  await executeTrainJob(db, jobContext(db, started.jobId), runId);
  const rec = await startRecording(db, { runId, start: START, end: END });
  recordingId = rec.recordingId;
  await db.prisma.job.update({ where: { id: rec.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, rec.jobId), recordingId);
});
after(async () => {
  forgetSaliencySources();
  await cleanup();
});

test('saliency at a position: the window before it, the true next character, the same numbers as the kernel', async () => {
  const src = await saliencySourceOfRecording(db, recordingId);
  const s = saliencyAt(src, { pos: 300, window: 20 });
  assert.equal(s.inputs.length, 20);
  assert.deepEqual(s.inputs.map((i) => i.pos), Array.from({ length: 20 }, (_, k) => 281 + k));
  assert.equal(s.inputs.map((i) => i.char).join(''), TEXT.slice(281, 301));
  assert.equal(s.target, TEXT[301]);
  assert.equal(s.targetIsNext, true);
  const direct = saliencyBatch(src.model, src.ids, [281], 20, [src.ids[301] ?? 0], { burnIn: SALIENCY_BURN_IN });
  s.inputs.forEach((i, k) => {
    assert.equal(i.grad, direct.grad[k]);
    assert.equal(i.gradXInput, direct.gradXInput[k]);
  });
  assert.ok(Math.abs(s.targetProb - Math.exp(direct.logProb[0] ?? 0)) < 1e-9);
  // A chosen character instead of the true one.
  const other = saliencyAt(src, { pos: 300, window: 20, target: 'g' });
  assert.equal(other.target, 'g');
  assert.equal(other.targetIsNext, TEXT[301] === 'g');
});

test('saliency refuses what it cannot answer, naming the field', async () => {
  const rec = await saliencySourceOfRecording(db, recordingId);
  assert.throws(() => saliencyAt(rec, { pos: START - 1 }), /pos must be an integer position from 50 to 1499 \(the recorded range\)/);
  assert.throws(() => saliencyAt(rec, { pos: END }), /pos must be/);
  assert.throws(() => saliencyAt(rec, { pos: 100, window: 0 }), /window must be an integer from 1 to 256/);
  assert.throws(() => saliencyAt(rec, { pos: 100, window: 257 }), /window must be/);
  assert.throws(() => saliencyAt(rec, { pos: 100, target: 'Q' }), /target "Q" is not in the model's vocabulary/);
  assert.throws(() => saliencyAt(rec, { pos: 100, target: 'go' }), /target must be one character/);
  const run = await saliencySourceOfRun(db, runId);
  const last = TEXT.length - 1;
  assert.throws(() => saliencyAt(run, { pos: last }), /last character: nothing follows it, so name a target character/);
  assert.equal(saliencyAt(run, { pos: last, target: 'h' }).target, 'h');
  // Near the corpus start the window is as long as the text before the prediction.
  assert.equal(saliencyAt(run, { pos: 3, window: 64 }).inputs.length, 4);
});

test('decay: mean saliency per distance over evenly spread positions, equal to averaging the kernel by hand', async () => {
  const src = await saliencySourceOfRecording(db, recordingId);
  const W = 12;
  const d = saliencyDecay(src, { window: W, samples: 40 });
  const positions = decaySamplePositions(START, END, W, 40);
  assert.equal(d.samples, 40);
  assert.equal(positions.length, 40);
  assert.ok(positions.every((p) => p - W + 1 >= START && p + 1 < END));
  assert.equal(new Set(positions).size, 40);
  const out = saliencyBatch(src.model, src.ids, positions.map((p) => p - W + 1), W, positions.map((p) => src.ids[p + 1] ?? 0), { burnIn: SALIENCY_BURN_IN });
  for (let dist = 0; dist < W; dist++) {
    let sum = 0;
    for (let b = 0; b < positions.length; b++) sum += out.grad[b * W + (W - 1 - dist)] ?? 0;
    assert.ok(Math.abs((d.meanGrad[dist] ?? 0) - sum / positions.length) < 1e-5, `distance ${dist}`);
  }
  assert.throws(() => saliencyDecay(src, { samples: 0 }), /samples must be/);
  assert.deepEqual(decaySamplePositions(0, 10, 20, 5), []);
});

test('a feature under a window of the neuron view is the slice of the track over the whole recording', async () => {
  const rec = await getRecording(db, recordingId);
  const track = featureTrack(TEXT.slice(START, END), 'quote');
  const w = await recordingFeatureWindow(db, rec, { feature: 'quote', start: 400, end: 460 });
  assert.equal(w.binary, true);
  assert.deepEqual(w.values, Array.from(track.subarray(400 - START, 460 - START)));
  const line = await recordingFeatureWindow(db, rec, { feature: 'line', start: 60, end: 70 });
  assert.equal(line.binary, false);
  assert.equal(line.max, 28);
  await assert.rejects(recordingFeatureWindow(db, rec, { feature: 'mood', start: 60, end: 70 }), /feature must be one of/);
  await assert.rejects(recordingFeatureWindow(db, rec, { feature: 'regex', start: 60, end: 70 }), /needs a regular expression/);
  await assert.rejects(recordingFeatureWindow(db, rec, { feature: 'quote', start: 10, end: 70 }), /inside the recorded range 50..1500/);
});
