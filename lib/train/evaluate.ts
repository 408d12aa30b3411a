import { tf } from '../tf/backend.ts';
import { outputLogits, topUnits, type CharModel } from '../../models/char-model.ts';
import { createSequenceRunner } from '../../models/sequence-runner.ts';

/**
 * Mean cross-entropy in bits per character of `model` on `ids` (the first `maxChars + 1` of
 * them), run as up to 32 parallel streams of 64-step blocks with the state carried, no dropout,
 * on the fused engine where it covers the model (`engine: 'tfjs'` forces the tfjs cells).
 */
export function evaluateBpc(model: CharModel, ids: Int32Array, maxChars = 100_000, engine: 'fused' | 'tfjs' = 'fused'): number {
  const n = Math.min(ids.length - 1, maxChars);
  if (n < 1) return Number.NaN;
  const streams = Math.max(1, Math.min(32, Math.floor(n / 64)));
  const len = Math.floor(n / streams);
  const chunk = 64;
  const runner = createSequenceRunner(model, streams, engine);
  let total = 0;
  let count = 0;
  try {
    for (let p = 0; p < len; p += chunk) {
      const T = Math.min(chunk, len - p);
      const inputs = new Int32Array(T * streams);
      const targets = new Int32Array(T * streams);
      for (let t = 0; t < T; t++) {
        for (let b = 0; b < streams; b++) {
          inputs[t * streams + b] = ids[b * len + p + t] ?? 0;
          targets[t * streams + b] = ids[b * len + p + t + 1] ?? 0;
        }
      }
      const { top } = runner.run(inputs, T, false);
      total += tf.tidy(() => {
        const logits = outputLogits(model, tf.tensor2d(top, [T * streams, topUnits(model)]));
        const labels = tf.oneHot(tf.tensor1d(targets, 'int32'), model.shape.vocabSize);
        return tf.losses.softmaxCrossEntropy(labels, logits, undefined, undefined, tf.Reduction.SUM).dataSync()[0] ?? 0;
      });
      count += T * streams;
    }
  } finally {
    runner.dispose();
  }
  return total / count / Math.LN2;
}
