import { tf } from '../tf/backend.ts';
import { outputLogits, topUnits, type CharModel } from '../../models/char-model.ts';
import { createSequenceRunner } from '../../models/sequence-runner.ts';

/**
 * Fraction of `targets` positions where the model's most likely next character is the true one,
 * running the model once over ids[0, end) in a single stream from a zero state (in blocks of 256
 * steps, on the fused kernels where they cover the model). For the memory tasks
 * (lib/corpus/tasks), whose targets are the characters only memory can predict.
 */
export function targetAccuracy(model: CharModel, ids: Int32Array, targets: readonly number[]): number {
  if (targets.length === 0) return Number.NaN;
  const end = Math.min(ids.length - 1, Math.max(...targets) + 1);
  const wanted = [...new Set(targets.filter((t) => t >= 0 && t < end))].sort((a, b) => a - b);
  const runner = createSequenceRunner(model, 1);
  const block = 256;
  let hits = 0;
  let w = 0;
  try {
    for (let p = 0; p < end; p += block) {
      const K = Math.min(block, end - p);
      const { top } = runner.run(ids.slice(p, p + K), K, false);
      const rows: number[] = [];
      while (w < wanted.length && (wanted[w] as number) < p + K) rows.push((wanted[w++] as number) - p);
      if (rows.length === 0) continue;
      const best = tf.tidy(() => {
        const h = tf.gather(tf.tensor2d(top, [K, topUnits(model)]), tf.tensor1d(rows, 'int32'));
        return tf.argMax(outputLogits(model, h), 1).dataSync() as Int32Array;
      });
      rows.forEach((r, i) => {
        if (best[i] === ids[p + r + 1]) hits++;
      });
    }
  } finally {
    runner.dispose();
  }
  return hits / wanted.length;
}
