import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { createCharModel, disposeModel, layerWeights, oneHotRows, stackStep, zeroStates } from '../../../models/char-model.ts';

// The recorder and the trainer both run models/lstm.ts; this pins it to tfjs-layers' own LSTM
// (sigmoid recurrent activation, gate order i, f, c~, o) with the same weights, in float32.
test('stacked lstmStep equals tf.layers.lstm (h and c, every step, both layers) within 1e-5', async () => {
  await ensureBackend();
  const shape = { arch: 'lstm' as const, layers: 2, hidden: 8, vocabSize: 7 };
  const model = createCharModel(shape, 42);
  const T = 12;
  const B = 3;
  const ids = Array.from({ length: T * B }, (_, k) => (k * 5 + 3) % shape.vocabSize);
  // Ours, step by step.
  const ours: { h: number[][]; c: number[][] }[] = [{ h: [], c: [] }, { h: [], c: [] }];
  tf.tidy(() => {
    let states = zeroStates(model, B);
    for (let t = 0; t < T; t++) {
      const row = Int32Array.from({ length: B }, (_, b) => ids[b * T + t] ?? 0);
      const out = stackStep(model, oneHotRows(row, shape.vocabSize), states);
      states = out.states;
      out.states.forEach((st, l) => {
        ours[l]?.h.push(Array.from(st.h.dataSync()));
        ours[l]?.c.push(Array.from(st.c.dataSync()));
      });
    }
  });
  // Reference: tfjs-layers LSTM over each prefix with returnState, fed the one-hot sequence.
  const ref = tf.tidy(() => {
    const x = tf.oneHot(tf.tensor2d(ids, [B, T], 'int32'), shape.vocabSize).toFloat();
    const results: { h: number[][]; c: number[][] }[] = [{ h: [], c: [] }, { h: [], c: [] }];
    let input: tf.Tensor = x;
    for (let l = 0; l < 2; l++) {
      const w = layerWeights(model, l);
      const layer = tf.layers.lstm({
        units: shape.hidden,
        returnSequences: true,
        returnState: true,
        recurrentActivation: 'sigmoid',
        inputShape: [null, l === 0 ? shape.vocabSize : shape.hidden],
      });
      layer.apply(input); // builds the layer's weights
      layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
      for (let t = 1; t <= T; t++) {
        const prefix = input.slice([0, 0, 0], [B, t, input.shape[2] ?? 0]);
        const [, h, c] = layer.apply(prefix) as tf.Tensor[];
        results[l]?.h.push(Array.from((h as tf.Tensor).dataSync()));
        results[l]?.c.push(Array.from((c as tf.Tensor).dataSync()));
      }
      input = (layer.apply(input) as tf.Tensor[])[0] as tf.Tensor;
    }
    return results;
  });
  let worst = 0;
  for (let l = 0; l < 2; l++) {
    for (let t = 0; t < T; t++) {
      for (const q of ['h', 'c'] as const) {
        const a = ours[l]?.[q][t] ?? [];
        const b = ref[l]?.[q][t] ?? [];
        assert.equal(a.length, b.length);
        a.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (b[k] ?? NaN)))));
      }
    }
  }
  assert.ok(worst < 1e-5, `max |ours - tf.layers.lstm| = ${worst}`);
  disposeModel(model);
});

test('lstmStep leaks no tensors', async () => {
  await ensureBackend();
  const model = createCharModel({ arch: 'lstm', layers: 1, hidden: 4, vocabSize: 3 });
  const before = tf.memory().numTensors;
  for (let k = 0; k < 3; k++) {
    tf.tidy(() => {
      stackStep(model, oneHotRows(Int32Array.from([0, 1]), 3), zeroStates(model, 2));
    });
  }
  assert.equal(tf.memory().numTensors, before);
  disposeModel(model);
});
