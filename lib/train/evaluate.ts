import { tf } from '../tf/backend.ts';
import { keepState, type CellState } from '../../models/cell-spec.ts';
import { disposeStates, oneHotRows, outputLogits, stackStep, zeroStates, type CharModel } from '../../models/char-model.ts';

/**
 * Mean cross-entropy in bits per character of `model` on `ids` (the first `maxChars + 1` of
 * them), run as up to 32 parallel streams of 64-step chunks with the state carried, no dropout.
 */
export function evaluateBpc(model: CharModel, ids: Int32Array, maxChars = 100_000): number {
  const n = Math.min(ids.length - 1, maxChars);
  if (n < 1) return Number.NaN;
  const streams = Math.max(1, Math.min(32, Math.floor(n / 64)));
  const len = Math.floor(n / streams);
  const chunk = 64;
  let states = zeroStates(model, streams);
  let total = 0;
  let count = 0;
  for (let p = 0; p < len; p += chunk) {
    const T = Math.min(chunk, len - p);
    const targets = new Int32Array(T * streams);
    const inputs: Int32Array[] = [];
    for (let t = 0; t < T; t++) {
      const row = new Int32Array(streams);
      for (let b = 0; b < streams; b++) {
        row[b] = ids[b * len + p + t] ?? 0;
        targets[t * streams + b] = ids[b * len + p + t + 1] ?? 0;
      }
      inputs.push(row);
    }
    const prev = states;
    let next: CellState[] = prev;
    const loss = tf.tidy(() => {
      let s = prev;
      const tops: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const out = stackStep(model, oneHotRows(inputs[t] ?? new Int32Array(streams), model.shape.vocabSize), s);
        s = out.states;
        tops.push(out.top);
      }
      const logits = outputLogits(model, tf.concat(tops, 0));
      const labels = tf.oneHot(tf.tensor1d(targets, 'int32'), model.shape.vocabSize);
      const l = tf.losses.softmaxCrossEntropy(labels, logits, undefined, undefined, tf.Reduction.SUM);
      next = s.map(keepState);
      return l.dataSync()[0] ?? 0;
    });
    disposeStates(prev);
    states = next;
    total += loss;
    count += T * streams;
  }
  disposeStates(states);
  return total / count / Math.LN2;
}
