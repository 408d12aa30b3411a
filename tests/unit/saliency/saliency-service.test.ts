import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../../lib/jobs/record-job.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
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
  ({ runId } = await trainedRun(db, TEXT, { layers: 1, hidden: 16, batch: 4, seq: 16, steps: 20, learningRate: 0.02, evalEvery: 20, checkpointEvery: 20, evalChars: 200 }));
  recordingId = await recordedRange(db, { runId, start: START, end: END });
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

test('saliency stored with a recording on request: the same numbers as computed on the spot, and the decay over every stored position', async () => {
  const { recordingSaliencyAt, recordingSaliencyDecay } = await import('../../../lib/saliency/recording-saliency.ts');
  const rec = await startRecording(db, { runId, start: START, end: END, saliency: { start: 100, end: 700, window: 16 } });
  await db.prisma.job.update({ where: { id: rec.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, rec.jobId), rec.recordingId);
  const chunks = await db.raw.query<{ n: number }>('SELECT COUNT(*) AS "n" FROM "SaliencyChunk" WHERE "recordingId" = ?', [rec.recordingId]);
  assert.equal(Number(chunks[0]?.n), 3, '600 positions in chunks of 256');
  const src = await saliencySourceOfRecording(db, rec.recordingId);
  for (const pos of [100, 355, 699]) {
    const stored = await recordingSaliencyAt(db, rec.recordingId, { pos, window: 16 });
    assert.equal(stored.stored, true);
    const live = saliencyAt(src, { pos, window: 16 });
    stored.inputs.forEach((i, k) => {
      assert.equal(i.pos, live.inputs[k]?.pos);
      assert.ok(Math.abs(i.grad - (live.inputs[k]?.grad ?? 0)) < 1e-5, `pos ${pos} input ${k}`);
      assert.ok(Math.abs(i.gradXInput - (live.inputs[k]?.gradXInput ?? 0)) < 1e-5);
    });
    assert.ok(Math.abs(stored.targetProb - live.targetProb) < 1e-5);
    // A shorter window is the stored row's newest inputs.
    const short = await recordingSaliencyAt(db, rec.recordingId, { pos, window: 5 });
    assert.deepEqual(short.inputs, stored.inputs.slice(-5));
  }
  // Outside the stored range, a longer window, or a chosen target: computed on the spot.
  assert.equal((await recordingSaliencyAt(db, rec.recordingId, { pos: 800, window: 16 })).stored, false);
  assert.equal((await recordingSaliencyAt(db, rec.recordingId, { pos: 300, window: 32 })).stored, false);
  assert.equal((await recordingSaliencyAt(db, rec.recordingId, { pos: 300, window: 16, target: 'g' })).stored, false);
  const decay = await recordingSaliencyDecay(db, rec.recordingId, { window: 16 });
  assert.equal(decay.stored, true);
  assert.equal(decay.samples, 600);
  const positions = Array.from({ length: 600 }, (_, k) => 100 + k);
  const out = saliencyBatch(src.model, src.ids, positions.map((p) => p - 15), 16, positions.map((p) => src.ids[p + 1] ?? 0), { burnIn: SALIENCY_BURN_IN });
  for (const dist of [0, 7, 15]) {
    let sum = 0;
    for (let b = 0; b < 600; b++) sum += out.grad[b * 16 + 15 - dist] ?? 0;
    assert.ok(Math.abs((decay.meanGrad[dist] ?? 0) - sum / 600) < 1e-5, `distance ${dist}`);
  }
});

test('a stored saliency range is checked when the recording is asked for', async () => {
  await assert.rejects(startRecording(db, { runId, start: START, end: END, saliency: { start: 10, end: 100 } }), /saliency start must be an integer in \[50, 1500\)/);
  await assert.rejects(startRecording(db, { runId, start: START, end: END, saliency: { start: 100, end: 1600 } }), /saliency end must be an integer in \(100, 1500\]/);
  await assert.rejects(startRecording(db, { runId, start: START, end: END, saliency: { start: 100, end: 200, window: 300 } }), /saliency window must be an integer from 1 to 256/);
  await assert.rejects(startRecording(db, { runId, saliency: { start: 0, end: TEXT.length } }), new RegExp(`saliency end must be an integer in \\(0, ${TEXT.length - 1}\\]`));
  const { checkSaliencyRange, MAX_STORED_SALIENCY_VALUES } = await import('../../../lib/record/start-recording.ts');
  const most = MAX_STORED_SALIENCY_VALUES / 64;
  assert.deepEqual(checkSaliencyRange({ start: 0, end: most }, 0, 10 * most, 10 * most), { start: 0, end: most, window: 64 });
  assert.throws(() => checkSaliencyRange({ start: 0, end: most + 1 }, 0, 10 * most, 10 * most), /over 64 inputs can be stored for at most 100,000 positions per recording, asked for 100,001/);
});

test('stored saliency at the corpus start: windows as long as the text before each prediction', async () => {
  const { recordingSaliencyAt, recordingSaliencyDecay } = await import('../../../lib/saliency/recording-saliency.ts');
  const rec = await startRecording(db, { runId, start: 0, end: 300, saliency: { start: 0, end: 40, window: 16 } });
  await db.prisma.job.update({ where: { id: rec.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, rec.jobId), rec.recordingId);
  const src = await saliencySourceOfRun(db, runId);
  for (const pos of [0, 3, 15, 16]) {
    const stored = await recordingSaliencyAt(db, rec.recordingId, { pos, window: 16 });
    assert.equal(stored.stored, true);
    assert.equal(stored.inputs.length, Math.min(16, pos + 1));
    const live = saliencyAt(src, { pos, window: 16 });
    stored.inputs.forEach((i, k) => assert.ok(Math.abs(i.grad - (live.inputs[k]?.grad ?? 0)) < 1e-5, `pos ${pos} input ${k}`));
  }
  // Only positions with a full window enter the decay average.
  assert.equal((await recordingSaliencyDecay(db, rec.recordingId, { window: 16 })).samples, 40 - 15);
});
