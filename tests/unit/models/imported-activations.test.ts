import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { createCharModel, disposeModel, layerWeights, oneHotRows, stackStep, zeroStates, type CharModelShape } from '../../../models/char-model.ts';
import type { CellOptions } from '../../../models/architectures.ts';
import { DEFAULT_CELL_OPTIONS } from '../../../models/architectures.ts';
import { fusedUnsupportedReason } from '../../../models/fused/fused-stack.ts';

// Cells with the activations imported models bring (tfjs-layers defaults to hard_sigmoid gates),
// pinned to tfjs-layers' own layers; the reset_after GRU (which tfjs-layers refuses) to an
// independent float64 implementation of Keras's equations.

function ourSequence(shape: CharModelShape, ids: number[], T: number, B: number, seed = 5) {
  const model = createCharModel(shape, seed);
  const hs: number[][] = [];
  tf.tidy(() => {
    let states = zeroStates(model, B);
    for (let t = 0; t < T; t++) {
      const out = stackStep(model, oneHotRows(Int32Array.from({ length: B }, (_, b) => ids[b * T + t] ?? 0), shape.vocabSize), states);
      states = out.states;
      hs.push(Array.from((out.top as tf.Tensor).dataSync()));
    }
  });
  return { model, hs };
}

const cases: { name: string; shape: CharModelShape; layer: () => tf.layers.Layer }[] = [
  { name: 'LSTM with hard_sigmoid gates (tfjs-layers default)', shape: { arch: 'lstm', layers: 1, hidden: 6, vocabSize: 5, options: { ...DEFAULT_CELL_OPTIONS, recurrentActivation: 'hard_sigmoid' } }, layer: () => tf.layers.lstm({ units: 6, returnSequences: true }) },
  { name: 'GRU with hard_sigmoid gates', shape: { arch: 'gru', layers: 1, hidden: 6, vocabSize: 5, options: { ...DEFAULT_CELL_OPTIONS, recurrentActivation: 'hard_sigmoid' } }, layer: () => tf.layers.gru({ units: 6, returnSequences: true }) },
  { name: 'SimpleRNN with relu on an rnn', shape: { arch: 'rnn', layers: 1, hidden: 6, vocabSize: 5, options: { ...DEFAULT_CELL_OPTIONS, activation: 'relu' } }, layer: () => tf.layers.simpleRNN({ units: 6, activation: 'relu', returnSequences: true }) },
];

for (const c of cases) {
  test(`${c.name}: every step equals tf.layers within 1e-5; runs on the tfjs cells`, async () => {
    await ensureBackend();
    const T = 8;
    const B = 2;
    const ids = Array.from({ length: T * B }, (_, k) => (k * 3 + 1) % 5);
    const { model, hs } = ourSequence(c.shape, ids, T, B);
    const ref = tf.tidy(() => {
      const layer = c.layer();
      const input = tf.oneHot(tf.tensor2d(ids, [B, T], 'int32'), 5).toFloat();
      layer.apply(input);
      const w = layerWeights(model, 0);
      layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
      return Array.from((layer.apply(input) as tf.Tensor).dataSync());
    });
    let worst = 0;
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let j = 0; j < 6; j++) worst = Math.max(worst, Math.abs((hs[t]?.[b * 6 + j] ?? 0) - (ref[(b * T + t) * 6 + j] ?? NaN)));
    assert.ok(worst < 1e-5, `max difference ${worst}`);
    assert.match(fusedUnsupportedReason(c.shape, 'feedforward', 0) ?? '', /imported activations/);
    disposeModel(model);
  });
}

test('GRU reset_after (Keras default): every step equals a float64 implementation of Keras\'s equations', async () => {
  await ensureBackend();
  const H = 5;
  const V = 4;
  const options: CellOptions = { ...DEFAULT_CELL_OPTIONS, resetAfter: true };
  const T = 7;
  const ids = Array.from({ length: T }, (_, k) => (k * 3 + 2) % V);
  const model = createCharModel({ arch: 'gru', layers: 1, hidden: H, vocabSize: V, options }, 9);
  // Give the recurrent bias values, so a missing or misplaced one shows.
  const rbVar = model.layers[0]?.extras.find(([n]) => n === 'recurrent_bias')?.[1];
  assert.ok(rbVar, 'the reset_after GRU has a recurrent bias');
  rbVar.assign(tf.tensor1d(Array.from({ length: 3 * H }, (_, k) => Math.sin(k) * 0.5)));
  model.layers[0]?.bias.assign(tf.tensor1d(Array.from({ length: 3 * H }, (_, k) => Math.cos(k) * 0.3)));
  const w = layerWeights(model, 0);
  const Wk = w.kernel.arraySync();
  const U = w.recurrentKernel.arraySync();
  const b = Array.from(w.bias.dataSync());
  const rb = Array.from(rbVar.dataSync());
  const sig = (x: number): number => 1 / (1 + Math.exp(-x));
  let h = new Array<number>(H).fill(0);
  const want: number[][] = [];
  for (const id of ids) {
    const xw = (j: number): number => (Wk[id]?.[j] ?? 0) + (b[j] ?? 0);
    const hu = (j: number): number => h.reduce((a, hv, i) => a + hv * (U[i]?.[j] ?? 0), 0) + (rb[j] ?? 0);
    const z = Array.from({ length: H }, (_, j) => sig(xw(j) + hu(j)));
    const r = Array.from({ length: H }, (_, j) => sig(xw(H + j) + hu(H + j)));
    const n = Array.from({ length: H }, (_, j) => Math.tanh(xw(2 * H + j) + (r[j] ?? 0) * hu(2 * H + j)));
    h = h.map((hv, j) => (z[j] ?? 0) * hv + (1 - (z[j] ?? 0)) * (n[j] ?? 0));
    want.push([...h]);
  }
  const got: number[][] = [];
  tf.tidy(() => {
    let states = zeroStates(model, 1);
    for (const id of ids) {
      const out = stackStep(model, oneHotRows(Int32Array.from([id]), V), states);
      states = out.states;
      got.push(Array.from(out.top.dataSync()));
    }
  });
  let worst = 0;
  want.forEach((row, t) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (got[t]?.[j] ?? NaN))))));
  assert.ok(worst < 1e-5, `max difference ${worst}`);
  disposeModel(model);
});
