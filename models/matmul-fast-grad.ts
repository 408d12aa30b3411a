import { tf } from '../lib/tf/backend.ts';

/**
 * a @ b with a hand-written gradient that transposes explicitly before multiplying:
 *   da = dy @ transpose(b),  db = transpose(a) @ dy.
 * tfjs's own gradient uses matMul's transpose flags, which the wasm backend runs on a slow path
 * (measured here at 32x256 @ 256x1024: 7.8 ms and 22.6 ms against 1.8 ms and 1.6 ms this way).
 * a: [M, K], b: [K, N] -> [M, N].
 */
const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)];
    },
  };
});

export function matMulFastGrad(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return fused(a, b) as tf.Tensor2D;
}
