import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { createCharModel, disposeModel, layerWeights, oneHotRows, stackStep, zeroStates, type CharModelShape } from '../../../models/char-model.ts';
import type { Architecture } from '../../../models/architectures.ts';

// Every cell the trainer and recorder run is pinned to tfjs-layers' own layer of the same kind,
// with the same weights, in float32: h (and c for the LSTM) at every step of both layers.
function referenceLayer(arch: Architecture, units: number): tf.layers.Layer {
  const common = { units, returnSequences: true, returnState: true };
  if (arch === 'lstm') return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid' });
  // tfjs-layers' GRU is the reset-before form (Keras reset_after=False), the one models/gru.ts implements.
  if (arch === 'gru') return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' });
  return tf.layers.simpleRNN({ ...common, activation: arch === 'rnn' || arch === 'esn' ? 'tanh' : 'relu' });
}

for (const arch of ['lstm', 'gru', 'rnn', 'irnn', 'nprnn', 'esn'] as const) {
  test(`${arch}: stacked steps equal tf.layers (every step, 2 layers) within 1e-5`, async () => {
    await ensureBackend();
    const shape: CharModelShape = { arch, layers: 2, hidden: 8, vocabSize: 7 };
    const model = createCharModel(shape, 42);
    if (arch === 'irnn' || arch === 'nprnn') {
      // Their initial input weights are tiny (N(0, 0.001²)); scale up so the test has signal.
      for (const l of model.layers) l.kernel.assign(tf.mul(l.kernel, 500));
    }
    const T = 10;
    const B = 3;
    const ids = Array.from({ length: T * B }, (_, k) => (k * 5 + 3) % shape.vocabSize);
    const stateNames = model.layers[0]?.cell.stateNames ?? [];
    const ours: Record<string, number[][]>[] = [{}, {}];
    tf.tidy(() => {
      let states = zeroStates(model, B);
      for (let t = 0; t < T; t++) {
        const row = Int32Array.from({ length: B }, (_, b) => ids[b * T + t] ?? 0);
        const out = stackStep(model, oneHotRows(row, shape.vocabSize), states);
        states = out.states;
        out.states.forEach((st, l) => {
          for (const n of stateNames) ((ours[l] as Record<string, number[][]>)[n] ??= []).push(Array.from((st[n] as tf.Tensor).dataSync()));
        });
      }
    });
    let worst = 0;
    tf.tidy(() => {
      let input: tf.Tensor = tf.oneHot(tf.tensor2d(ids, [B, T], 'int32'), shape.vocabSize).toFloat();
      for (let l = 0; l < 2; l++) {
        const w = layerWeights(model, l);
        const layer = referenceLayer(arch, shape.hidden);
        layer.apply(input); // builds the layer's weights
        layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
        for (let t = 1; t <= T; t++) {
          const outs = layer.apply(input.slice([0, 0, 0], [B, t, input.shape[2] ?? 0])) as tf.Tensor[];
          // outputs: [sequence, h, c] for the LSTM, [sequence, h] otherwise
          stateNames.forEach((n, k) => {
            const ref = (outs[k + 1] as tf.Tensor).dataSync();
            const got = ours[l]?.[n]?.[t - 1] ?? [];
            assert.equal(got.length, ref.length);
            got.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (ref[j] ?? NaN)))));
          });
        }
        input = (layer.apply(input) as tf.Tensor[])[0] as tf.Tensor;
      }
    });
    assert.ok(worst < 1e-5, `max |ours - tf.layers| = ${worst}`);
    disposeModel(model);
  });
}

test('a step leaks no tensors', async () => {
  await ensureBackend();
  for (const arch of ['lstm', 'gru', 'rnn'] as const) {
    const model = createCharModel({ arch, layers: 1, hidden: 4, vocabSize: 3 });
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) {
      tf.tidy(() => {
        stackStep(model, oneHotRows(Int32Array.from([0, 1]), 3), zeroStates(model, 2));
      });
    }
    assert.equal(tf.memory().numTensors, before, arch);
    disposeModel(model);
  }
});
