import { tf } from '../../lib/tf/backend.ts';
import { kernels, splitRows } from './kernels.ts';
import { takeAndRelease } from './input-projection.ts';

// Buffers kept for a backward pass that never came (a failed step): freed by the next call.
const stale: number[][] = [];

function releaseStale(): void {
  const rt = kernels();
  for (const kept of stale.splice(0)) kept.forEach((p) => rt.release(p));
}

/**
 * Mean softmax cross-entropy of the read-out logits = top W + b against target ids, as one
 * TensorFlow.js op whose forward and gradient run on the fused kernels (assembly/predict.ts):
 * the same value as tf.losses.softmaxCrossEntropy(oneHot(targets), top W + b), differentiable
 * with respect to top [N, H], W [H, V] and b [V].
 */
export function fusedReadoutLoss(top: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D, targets: Int32Array): tf.Scalar {
  releaseStale();
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, w, b] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const [N, H] = t.shape;
    const V = b.shape[0];
    if (targets.length !== N) throw new Error(`${targets.length} targets for ${N} rows`);
    const rt = kernels();
    const top = rt.upload(t.dataSync() as Float32Array);
    const wAt = rt.upload(w.dataSync() as Float32Array);
    const bAt = rt.upload(b.dataSync() as Float32Array);
    const ids = rt.upload(targets);
    const logits = rt.alloc(N * V * 4);
    const loss = rt.alloc(N * 4);
    let mean = 0;
    try {
      rt.call('fillRows', N, V, bAt, logits);
      rt.gemm(N, V, H, top, H, 1, wAt, V, logits, V, true);
      // logits become d(mean loss)/d(logits) = (softmax - onehot) / N.
      const scaleBits = new Int32Array(Float32Array.of(1 / N).buffer)[0] as number;
      rt.parallel('softmaxXent', splitRows(N, rt.threads).map(([r0, r1]) => [r1 - r0, V, logits + r0 * V * 4, ids + r0 * 4, scaleBits, loss + r0 * 4]));
      for (const v of rt.download(loss, N)) mean += v;
      mean /= N;
    } catch (err) {
      [top, wAt, bAt, ids, logits, loss].forEach((p) => rt.release(p));
      throw err;
    }
    rt.release(loss);
    rt.release(ids);
    rt.release(bAt);
    const kept = [top, wAt, logits];
    stale.push(kept);
    return {
      value: tf.scalar(mean),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const g = ((dy as tf.Tensor).dataSync() as Float32Array)[0] ?? 1;
        try {
          const dW = rt.alloc(H * V * 4);
          rt.gemm(H, V, N, top, 1, H, logits, V, dW, V, false); // topᵀ dlogits
          const wt = rt.alloc(H * V * 4);
          rt.transpose(H, V, wAt, wt);
          const dTop = rt.alloc(N * H * 4);
          rt.gemm(N, H, V, logits, V, 1, wt, H, dTop, H, false); // dlogits Wᵀ
          rt.release(wt);
          const db = rt.alloc(V * 4);
          rt.call('columnSums', N, V, logits, db);
          const scale = (a: Float32Array): Float32Array => (g === 1 ? a : a.map((v) => v * g));
          return [
            tf.tensor2d(scale(takeAndRelease(rt, dTop, N * H)), [N, H]),
            tf.tensor2d(scale(takeAndRelease(rt, dW, H * V)), [H, V]),
            tf.tensor1d(scale(takeAndRelease(rt, db, V))),
          ];
        } finally {
          stale.splice(stale.indexOf(kept), 1);
          kept.forEach((p) => rt.release(p));
        }
      },
    };
  });
  return op(top, kernel, bias) as tf.Scalar;
}
