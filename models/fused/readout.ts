import { splitRows, type KernelRuntime } from './kernels.ts';
import type { QuantityView } from './layer-pass.ts';

export interface Predictions {
  /** [rows, k] ids by descending probability. */
  topIndices: Int32Array;
  /** [rows, k] their probabilities. */
  topValues: Float32Array;
  /** [rows] probability of the true next id (0 where next is -1). */
  truth: Float32Array;
}

/**
 * The softmax read-out of `rows` top-layer states in kernel memory: logits = h W + b
 * (W [H, V], b [V]), then per row the top-k ids and probabilities and the true next id's
 * probability (assembly/predict.ts), split over the kernel threads.
 */
export function predictTopK(rt: KernelRuntime, top: QuantityView, rows: number, H: number, kernel: Float32Array, bias: Float32Array, next: Int32Array, k: number): Predictions {
  const V = bias.length;
  if (kernel.length !== H * V) throw new Error(`read-out kernel has ${kernel.length} values, expected ${H} x ${V}`);
  const w = rt.upload(kernel);
  const b = rt.upload(bias);
  const logits = rt.alloc(rows * V * 4);
  const nx = rt.upload(next);
  const ids = rt.alloc(rows * k * 4);
  const probs = rt.alloc(rows * k * 4);
  const truth = rt.alloc(rows * 4);
  try {
    rt.call('fillRows', rows, V, b, logits);
    rt.gemm(rows, V, H, top.at, top.stride, 1, w, V, logits, V, true);
    rt.parallel('softmaxTopK', splitRows(rows, rt.threads).map(([r0, r1]) => [r1 - r0, V, logits + r0 * V * 4, nx + r0 * 4, k, ids + r0 * k * 4, probs + r0 * k * 4, truth + r0 * 4]));
    return {
      topIndices: new Int32Array(rt.bytes(ids, rows * k * 4).slice().buffer),
      topValues: rt.download(probs, rows * k),
      truth: rt.download(truth, rows),
    };
  } finally {
    [w, b, logits, nx, ids, probs, truth].forEach((p) => rt.release(p));
  }
}

/**
 * Every output's probability for `rows` top-layer states in kernel memory: softmax(h W + b) as
 * [rows, V] (a classifier's classes: V is small). The logits come from the kernels' gemm.
 */
export function readoutProbabilities(rt: KernelRuntime, top: QuantityView, rows: number, H: number, kernel: Float32Array, bias: Float32Array): Float32Array {
  const V = bias.length;
  if (kernel.length !== H * V) throw new Error(`read-out kernel has ${kernel.length} values, expected ${H} x ${V}`);
  const w = rt.upload(kernel);
  const b = rt.upload(bias);
  const logits = rt.alloc(rows * V * 4);
  try {
    rt.call('fillRows', rows, V, b, logits);
    rt.gemm(rows, V, H, top.at, top.stride, 1, w, V, logits, V, true);
    const out = rt.download(logits, rows * V);
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < V; c++) max = Math.max(max, out[r * V + c] as number);
      let sum = 0;
      for (let c = 0; c < V; c++) sum += out[r * V + c] = Math.exp((out[r * V + c] as number) - max);
      for (let c = 0; c < V; c++) out[r * V + c] = (out[r * V + c] as number) / sum;
    }
    return out;
  } finally {
    [w, b, logits].forEach((p) => rt.release(p));
  }
}
