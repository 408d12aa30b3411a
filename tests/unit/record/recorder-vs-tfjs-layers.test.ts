import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { createCharModel, disposeModel, layerWeights } from '../../../models/char-model.ts';
import { planStreams, recordStates } from '../../../lib/record/recorder.ts';

// Issue 2's acceptance check: the h and c the recorder produces, before float16 quantization,
// equal what tf.layers.lstm computes with the same weights, within 1e-5, for every position.
test('recorded h and c (pre-quantization) equal tf.layers.lstm within 1e-5, 2 layers, 3 streams', async () => {
  await ensureBackend();
  const shape = { arch: 'lstm' as const, layers: 2, hidden: 12, vocabSize: 11 };
  const model = createCharModel(shape, 21);
  const ids = Int32Array.from({ length: 100 }, (_, k) => (k * 7 + (k >> 3)) % shape.vocabSize);
  const start = 4;
  const end = 96;
  const chunkSize = 8;
  const STATE_QUANTITIES = model.layers[0]?.cell.quantities ?? [];
  const Q = STATE_QUANTITIES.length;
  const H = shape.hidden;
  const width = shape.layers * Q * H;
  // ours[pos] = the float32 row [layer][quantity][cell] at that position
  const ours = new Map<number, Float32Array>();
  await recordStates({
    model, ids, start, end, streams: 3, chunkSize, burnIn: 0,
    onChunks: async () => {},
    onStepValues: (positions, values) => {
      positions.forEach((pos, b) => pos >= 0 && ours.set(pos, values.slice(b * width, (b + 1) * width)));
    },
  });
  assert.equal(ours.size, end - start);
  const { segment, count } = planStreams(end - start, 3, chunkSize);
  let worst = 0;
  for (let b = 0; b < count; b++) {
    const s0 = start + b * segment;
    const s1 = Math.min(end, s0 + segment);
    const T = s1 - s0;
    tf.tidy(() => {
      let input: tf.Tensor = tf.oneHot(tf.tensor2d(Array.from(ids.subarray(s0, s1)), [1, T], 'int32'), shape.vocabSize).toFloat();
      for (let l = 0; l < shape.layers; l++) {
        const w = layerWeights(model, l);
        const layer = tf.layers.lstm({ units: H, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid' });
        layer.apply(input);
        layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
        const hSeq = (layer.apply(input) as tf.Tensor[])[0] as tf.Tensor;
        const hs = hSeq.arraySync() as number[][][];
        for (let t = 1; t <= T; t++) {
          // c at step t: the returned state of the prefix of length t.
          const [, , c] = layer.apply(input.slice([0, 0, 0], [1, t, input.shape[2] ?? 0])) as tf.Tensor[];
          const cRef = (c as tf.Tensor).dataSync();
          const row = ours.get(s0 + t - 1);
          if (!row) throw new Error(`no recorded row at ${s0 + t - 1}`);
          const base = l * Q * H;
          const cOff = base + STATE_QUANTITIES.indexOf('c') * H;
          const hOff = base + STATE_QUANTITIES.indexOf('h') * H;
          for (let k = 0; k < H; k++) {
            worst = Math.max(worst, Math.abs((row[cOff + k] ?? NaN) - (cRef[k] ?? NaN)), Math.abs((row[hOff + k] ?? NaN) - (hs[0]?.[t - 1]?.[k] ?? NaN)));
          }
        }
        input = hSeq;
      }
    });
  }
  assert.ok(worst < 1e-5, `max |recorder - tf.layers.lstm| = ${worst}`);
  disposeModel(model);
});
