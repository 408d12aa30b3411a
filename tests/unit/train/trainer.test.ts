import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { buildVocab, encode } from '../../../lib/corpus/vocab.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { clipByGlobalNorm, trainCharModel, type CheckpointPayload } from '../../../lib/train/trainer.ts';

const text = 'the cat sat on the mat. the dog sat on the log. '.repeat(40);
const vocab = buildVocab(text);
const ids = encode(text, vocab);
const trainIds = ids.subarray(0, 1800);
const valIds = ids.subarray(1800);

test('training lowers the loss on a small corpus', async () => {
  await ensureBackend();
  const config = parseTrainConfig({ hidden: 32, batch: 8, seq: 16, steps: 60, learningRate: 0.01, evalEvery: 60, evalChars: 200 });
  const first: number[] = [];
  const result = await trainCharModel({
    config,
    vocabSize: vocab.chars.length,
    trainIds,
    valIds,
    progressEvery: 1,
    onProgress: (p) => void first.push(p.point.trainLoss),
  });
  assert.equal(result.steps, 60);
  const start = (first[0] ?? 0);
  assert.ok(Math.abs(start - Math.log(vocab.chars.length)) < 0.3, `initial loss ${start} ~ ln(V)`);
  assert.ok(result.trainLoss < start * 0.6, `loss fell from ${start} to ${result.trainLoss}`);
  assert.ok(result.valBpc < 3, `validation bpc ${result.valBpc}`);
  assert.ok(result.charsPerSec > 0);
});

test('the tensor count does not grow with the number of steps', async () => {
  await ensureBackend();
  const leakFor = async (steps: number): Promise<number> => {
    const before = tf.memory().numTensors;
    const config = parseTrainConfig({ hidden: 16, batch: 4, seq: 8, steps, evalEvery: 3, evalChars: 64 });
    await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds, valIds });
    return tf.memory().numTensors - before;
  };
  const short = await leakFor(3);
  const long = await leakFor(15);
  // tfjs 4.22's Adam.dispose() leaves its bias-correction scalars behind: a constant per
  // optimizer, never per step.
  assert.equal(long, short);
  assert.ok(short <= 2, `leaked ${short} tensors per run`);
});

test('a run stopped at a checkpoint resumes from it and continues the step count', async () => {
  await ensureBackend();
  const config = parseTrainConfig({ hidden: 16, batch: 4, seq: 8, steps: 20, checkpointEvery: 10, evalEvery: 10, evalChars: 100 });
  const saved: CheckpointPayload[] = [];
  const first = await trainCharModel({
    config,
    vocabSize: vocab.chars.length,
    trainIds,
    valIds,
    onCheckpoint: (c) => void saved.push(c),
    shouldStop: () => saved.length >= 1,
  });
  assert.equal(first.stopped, true);
  assert.equal(first.steps, 10);
  const ck = saved[0];
  assert.ok(ck);
  assert.equal(ck.position, 80);
  const steps: number[] = [];
  const resumed = await trainCharModel({
    config,
    vocabSize: vocab.chars.length,
    trainIds,
    valIds,
    resume: { step: ck.step, weights: ck.weights, optimizer: ck.optimizer, position: ck.position },
    progressEvery: 1,
    onProgress: (p) => void steps.push(p.step),
  });
  assert.equal(resumed.steps, 20);
  assert.deepEqual(steps, [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
});

test('clipByGlobalNorm scales by maxNorm / ||g|| only when the norm is larger', async () => {
  await ensureBackend();
  const g = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // global norm 5
  const clipped = clipByGlobalNorm(g, 1);
  assert.deepEqual(Array.from(clipped.a?.dataSync() ?? []).map((v) => +v.toFixed(6)), [0.6, 0]);
  assert.deepEqual(Array.from(clipped.b?.dataSync() ?? []).map((v) => +v.toFixed(6)), [0, 0.8]);
  const kept = clipByGlobalNorm(g, 10);
  assert.deepEqual(Array.from(kept.b?.dataSync() ?? []), [0, 4]);
  tf.dispose([g.a, g.b, ...Object.values(clipped), ...Object.values(kept)]);
});

for (const arch of ['gru', 'rnn', 'irnn', 'nprnn', 'rhn'] as const) {
  test(`${arch}: training lowers the loss too`, async () => {
    await ensureBackend();
    // The IRNN starts slowly (input weights ~N(0, 0.001²) and identity recurrence): more steps.
    const steps = arch === 'irnn' ? 200 : 60;
    const config = parseTrainConfig({ arch, hidden: 32, batch: 8, seq: 16, steps, learningRate: arch === 'gru' || arch === 'irnn' || arch === 'rhn' ? 0.01 : 0.003, evalEvery: steps, evalChars: 200 });
    const losses: number[] = [];
    const result = await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds, valIds, progressEvery: 1, onProgress: (p) => void losses.push(p.point.trainLoss) });
    const start = losses[0] ?? 0;
    assert.ok(result.trainLoss < start * 0.75, `${arch}: loss fell from ${start} to ${result.trainLoss}`);
    assert.ok(Number.isFinite(result.valBpc));
  });
}

for (const dropoutKind of ['feedforward', 'variational', 'recurrent-update', 'cell'] as const) {
  test(`LSTM with ${dropoutKind} dropout trains, and its tensor count stays flat`, async () => {
    await ensureBackend();
    const config = parseTrainConfig({ layers: 2, hidden: 32, batch: 8, seq: 16, steps: 60, learningRate: 0.01, dropout: 0.2, dropoutKind, evalEvery: 60, evalChars: 200 });
    const losses: number[] = [];
    const before = tf.memory().numTensors;
    const result = await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds, valIds, progressEvery: 1, onProgress: (p) => void losses.push(p.point.trainLoss) });
    assert.ok(tf.memory().numTensors - before <= 2, 'no per-step leak (masks are disposed)');
    assert.ok(result.trainLoss < (losses[0] ?? 0) * 0.8, `loss fell from ${losses[0]} to ${result.trainLoss}`);
  });
}

test('a layer-normalised LSTM trains', async () => {
  await ensureBackend();
  const config = parseTrainConfig({ norm: 'layer', hidden: 32, batch: 8, seq: 16, steps: 60, learningRate: 0.01, evalEvery: 60, evalChars: 200 });
  const losses: number[] = [];
  const result = await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds, valIds, progressEvery: 1, onProgress: (p) => void losses.push(p.point.trainLoss) });
  assert.ok(result.trainLoss < (losses[0] ?? 0) * 0.75, `loss fell from ${losses[0]} to ${result.trainLoss}`);
});
