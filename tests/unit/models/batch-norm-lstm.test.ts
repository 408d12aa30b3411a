import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { batchNormLstmCell, BN_GAIN_INIT, POPULATION_MOMENTUM, updatePopulationStats } from '../../../models/batch-norm-lstm.ts';
import { createCharModel, disposeModel, modelVariables, parameterNames, trainableVariables } from '../../../models/char-model.ts';
import type { BatchStats } from '../../../models/cell-spec.ts';
import { exportWeights, loadModel } from '../../../lib/train/model-io.ts';
import { modelShapeOf, parseTrainConfig } from '../../../lib/train/config.ts';
import { trainCharModel } from '../../../lib/train/trainer.ts';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));
const mm = (a: number[][], b: number[][]): number[][] => a.map((r) => (b[0] ?? []).map((_, j) => r.reduce((s, v, k) => s + v * (b[k]?.[j] ?? 0), 0)));
/** Column-wise batch normalisation in float64 with the given or the batch's statistics. */
function bn(rows: number[][], gain: number[], shift: number[] | null, stats?: { mean: number[]; variance: number[] }): number[][] {
  const D = rows[0]?.length ?? 0;
  const mean = stats?.mean ?? Array.from({ length: D }, (_, j) => rows.reduce((s, r) => s + (r[j] ?? 0), 0) / rows.length);
  const variance = stats?.variance ?? Array.from({ length: D }, (_, j) => rows.reduce((s, r) => s + ((r[j] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / rows.length);
  return rows.map((r) => r.map((v, j) => ((v - (mean[j] ?? 0)) / Math.sqrt((variance[j] ?? 0) + 1e-5)) * (gain[j] ?? 0) + (shift?.[j] ?? 0)));
}

function setup(T: number) {
  const H = 5;
  const cell = batchNormLstmCell({ depth: 1, coupled: true, spectralRadius: 1, norm: 'batch', normSteps: T });
  const w = cell.init(4, H, 3);
  const extras = w.extras ?? {};
  // Non-trivial gains, shift and population statistics.
  const rnd = (shape: [number], seed: number, mean: number, sd: number): tf.Tensor1D => tf.randomNormal(shape, mean, sd, 'float32', seed) as tf.Tensor1D;
  const e: Record<string, tf.Tensor1D> = {
    ...extras,
    gain_x: rnd([4 * H], 11, 0.5, 0.2), gain_h: rnd([4 * H], 12, 0.5, 0.2), gain_c: rnd([H], 13, 0.7, 0.2), shift_c: rnd([H], 14, 0, 0.3),
    pop_mean_x: rnd([T * 4 * H], 15, 0, 0.3), pop_var_x: tf.abs(rnd([T * 4 * H], 16, 1, 0.3)) as tf.Tensor1D,
    pop_mean_h: rnd([T * 4 * H], 17, 0, 0.3), pop_var_h: tf.abs(rnd([T * 4 * H], 18, 1, 0.3)) as tf.Tensor1D,
    pop_mean_c: rnd([T * H], 19, 0, 0.3), pop_var_c: tf.abs(rnd([T * H], 20, 1, 0.3)) as tf.Tensor1D,
  };
  const x = tf.randomNormal([6, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
  const h0 = tf.randomNormal([6, H], 0, 0.5, 'float32', 2) as tf.Tensor2D;
  const c0 = tf.randomNormal([6, H], 0, 0.5, 'float32', 3) as tf.Tensor2D;
  const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());
  const rowsOf = (t: tf.Tensor1D, row: number, D: number): number[] => arr(t).slice(row * D, (row + 1) * D);
  /** The step in float64: batch statistics, or the population's row `row`. */
  const reference = (row: number | null) => {
    const zx0 = mm(x.arraySync(), w.kernel.arraySync());
    const zh0 = mm(h0.arraySync(), w.recurrentKernel.arraySync());
    const pick = (which: string, D: number) => (row === null ? undefined : { mean: rowsOf(e[`pop_mean_${which}`] as tf.Tensor1D, row, D), variance: rowsOf(e[`pop_var_${which}`] as tf.Tensor1D, row, D) });
    const zx = bn(zx0, arr(e.gain_x as tf.Tensor1D), null, pick('x', 4 * H));
    const zh = bn(zh0, arr(e.gain_h as tf.Tensor1D), null, pick('h', 4 * H));
    const b = arr(w.bias);
    const cPrev = c0.arraySync();
    const gates = zx.map((rx, bi) => rx.map((v, k) => v + (zh[bi]?.[k] ?? 0) + (b[k] ?? 0)));
    const c = gates.map((z, bi) => Array.from({ length: H }, (_, k) => sig(z[H + k] ?? 0) * (cPrev[bi]?.[k] ?? 0) + sig(z[k] ?? 0) * Math.tanh(z[2 * H + k] ?? 0)));
    const cn = bn(c, arr(e.gain_c as tf.Tensor1D), arr(e.shift_c as tf.Tensor1D), pick('c', H));
    const h = gates.map((z, bi) => Array.from({ length: H }, (_, k) => sig(z[3 * H + k] ?? 0) * Math.tanh(cn[bi]?.[k] ?? 0)));
    return { c, h };
  };
  return { cell, w: { ...w, extras: e }, x, h0, c0, H, reference };
}

function close(got: number[][], want: number[][], what: string): void {
  want.forEach((r, i) => r.forEach((v, k) => assert.ok(Math.abs(v - (got[i]?.[k] ?? NaN)) < 2e-5, `${what}[${i}][${k}]: ${got[i]?.[k]} vs ${v}`)));
}

test('batch-norm LSTM in training normalises with the batch statistics and reports them (Cooijmans et al.)', async () => {
  await ensureBackend();
  const { cell, w, x, h0, c0, reference } = setup(4);
  const seen: BatchStats[] = [];
  const out = cell.step(x, { h: h0, c: c0 }, w, undefined, { t: 2, training: true, collect: (s) => void seen.push(s) });
  const want = reference(null);
  close((out.state.c as tf.Tensor2D).arraySync(), want.c, 'c');
  close((out.state.h as tf.Tensor2D).arraySync(), want.h, 'h');
  assert.deepEqual(seen.map((s) => `${s.which}@${s.t}`).sort(), ['c@2', 'h@2', 'x@2']);
});

test('batch-norm LSTM at inference uses the population row of its timestep, the last one beyond the window or without a context', async () => {
  await ensureBackend();
  const { cell, w, x, h0, c0, reference } = setup(4);
  for (const [ctx, row] of [[{ t: 1, training: false }, 1], [{ t: 9, training: false }, 3], [undefined, 3]] as const) {
    const out = cell.step(x, { h: h0, c: c0 }, w, undefined, ctx);
    const want = reference(row);
    close((out.state.h as tf.Tensor2D).arraySync(), want.h, `h (row ${row})`);
  }
});

test('population estimates move toward the batch statistics of the rows a step saw, and only those', async () => {
  await ensureBackend();
  const model = createCharModel({ arch: 'lstm', layers: 1, hidden: 4, vocabSize: 3, options: { depth: 1, coupled: true, spectralRadius: 1, norm: 'batch', normSteps: 3 } }, 1);
  const pop = new Map(model.layers[0]?.extras);
  const before = Array.from(pop.get('pop_mean_c')?.dataSync() ?? []);
  const mean = tf.tensor1d([1, 2, 3, 4]);
  const variance = tf.tensor1d([4, 4, 4, 4]);
  updatePopulationStats(model.layers, [{ layer: 0, stats: { which: 'c', t: 1, mean, variance } }]);
  const after = Array.from(pop.get('pop_mean_c')?.dataSync() ?? []);
  const afterVar = Array.from(pop.get('pop_var_c')?.dataSync() ?? []);
  assert.deepEqual(after.slice(0, 4), before.slice(0, 4), 'row 0 untouched');
  assert.deepEqual(after.slice(8), before.slice(8), 'row 2 untouched');
  [1, 2, 3, 4].forEach((v, j) => assert.ok(Math.abs((after[4 + j] ?? NaN) - POPULATION_MOMENTUM * v) < 1e-6));
  afterVar.slice(4, 8).forEach((v) => assert.ok(Math.abs(v - (1 - POPULATION_MOMENTUM + POPULATION_MOMENTUM * 4)) < 1e-6));
  assert.ok(mean.isDisposed && variance.isDisposed, 'the collected statistics are released');
  disposeModel(model);
});

test('batch-norm LSTM: gains start at 0.1, population statistics are saved but never trained', async () => {
  await ensureBackend();
  const shape = { arch: 'lstm' as const, layers: 2, hidden: 8, vocabSize: 5, options: { depth: 1, coupled: true, spectralRadius: 1, norm: 'batch' as const, normSteps: 6 } };
  const model = createCharModel(shape, 2);
  const names = parameterNames(model);
  assert.ok(names.includes('lstm_1/pop_var_h') && names.includes('lstm_0/gain_c'));
  assert.ok(Array.from(new Map(model.layers[0]?.extras).get('gain_x')?.dataSync() ?? []).every((v) => Math.abs(v - BN_GAIN_INIT) < 1e-7));
  const trainable = new Set(trainableVariables(model));
  model.layers.forEach((l) => l.extras.forEach(([n, v]) => assert.equal(trainable.has(v), !n.startsWith('pop_'), n)));
  const back = loadModel(shape, exportWeights(model));
  modelVariables(model).forEach((v, k) => assert.deepEqual(Array.from(modelVariables(back)[k]?.dataSync() ?? []), Array.from(v.dataSync())));
  disposeModel(model);
  disposeModel(back);
  assert.throws(() => parseTrainConfig({ arch: 'gru', norm: 'batch' }), /available for the LSTM/);
  assert.throws(() => parseTrainConfig({ norm: 'batch', batch: 1 }), /batch of at least 2/);
});

test('a batch-norm LSTM trains (on the tfjs cells), learns, and its checkpoints carry the moved population statistics', async () => {
  await ensureBackend();
  const text = 'the cat sat on the mat. '.repeat(200);
  const chars = [...new Set(text)];
  const ids = Int32Array.from(text, (ch) => chars.indexOf(ch));
  const config = parseTrainConfig({ norm: 'batch', hidden: 16, batch: 8, seq: 12, steps: 40, learningRate: 0.02, evalEvery: 40, checkpointEvery: 40, evalChars: 500 });
  let weights: Uint8Array | undefined;
  const result = await trainCharModel({ config, vocabSize: chars.length, trainIds: ids.subarray(0, 4000), valIds: ids.subarray(4000), onCheckpoint: (c) => void (weights = c.weights) });
  assert.equal(result.engine, 'tfjs');
  assert.match(result.engineNote ?? '', /batch normalisation runs on the tfjs cells/);
  assert.ok(result.valBpc < Math.log2(chars.length) - 1, `validation ${result.valBpc} bpc`);
  const model = loadModel(modelShapeOf(config, chars.length), weights as Uint8Array);
  const pop = new Map(model.layers[0]?.extras);
  const mean = Array.from(pop.get('pop_mean_x')?.dataSync() ?? []);
  assert.equal(mean.length, 12 * 4 * 16, 'one row per timestep of the training window');
  assert.ok(mean.some((v) => Math.abs(v) > 1e-3), 'population means moved from zero');
  disposeModel(model);
});
