import { tf } from '../lib/tf/backend.ts';
import { quantitiesFor, type CellOptions } from './architectures.ts';
import type { CellSpec, LayerWeights } from './cell-spec.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';
import { matVec, norm2 } from './linalg.ts';

/**
 * Spectral radius (largest |eigenvalue|) of a square matrix [n*n], by Gelfand's formula on a
 * vector: ρ = lim ||Mᵏ v||^(1/k). Unlike plain power iteration this converges when the dominant
 * eigenvalues are a complex pair, as they usually are for random reservoirs. The estimate
 * averages the growth over the last half of the iterations.
 */
export function spectralRadius(m: Float32Array | Float64Array, n: number, iterations = 600): number {
  let v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(i * 12.9898 + 1) * 0.5 + 1;
  let logSum = 0;
  let counted = 0;
  for (let it = 0; it < iterations; it++) {
    const w = matVec(m, n, v);
    const norm = norm2(w);
    if (norm === 0) return 0;
    const before = norm2(v);
    if (it >= iterations / 2) {
      logSum += Math.log(norm / before);
      counted++;
    }
    v = w.map((x) => x / norm);
  }
  return Math.exp(logSum / counted);
}

/** A reservoir matrix [n*n]: standard normal entries scaled to spectral radius `radius`. */
export function reservoirMatrix(n: number, radius: number, seed: number): Float32Array {
  const r = tf.tidy(() => tf.randomNormal([n, n], 0, 1, 'float32', seed).dataSync() as Float32Array);
  const rho = spectralRadius(r, n);
  return Float32Array.from(r, (v) => (v * radius) / rho);
}

/**
 * Echo state network (Jaeger 2001): h' = tanh(x W_in + h W + b) with W a fixed random reservoir
 * scaled to a chosen spectral radius (< 1 for the echo state property) and W_in fixed uniform in
 * [-1, 1]. Only the read-out is trained (`frozen`). Recorded: h and the pre-activation a.
 */
export function esnCell(options: CellOptions): CellSpec {
  return {
    arch: 'esn',
    label: `ESN (radius ${options.spectralRadius})`,
    blocks: 1,
    stateNames: ['h'],
    quantities: quantitiesFor('esn', options),
    frozen: true,
    init(inputDim, hidden, seed): LayerWeights {
      return {
        kernel: tf.randomUniform([inputDim, hidden], -1, 1, 'float32', seed) as tf.Tensor2D,
        recurrentKernel: tf.tensor2d(reservoirMatrix(hidden, options.spectralRadius, seed + 1), [hidden, hidden]),
        bias: tf.randomUniform([hidden], -0.2, 0.2, 'float32', seed + 2) as tf.Tensor1D,
      };
    },
    step(x, state, w) {
      const a = tf.add(tf.add(matMulFastGrad(x, w.kernel), matMulFastGrad(state.h as tf.Tensor2D, w.recurrentKernel)), w.bias) as tf.Tensor2D;
      const h = tf.tanh(a) as tf.Tensor2D;
      return { state: { h }, quantities: { h, a } };
    },
  };
}
