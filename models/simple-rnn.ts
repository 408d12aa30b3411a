import { tf } from '../lib/tf/backend.ts';
import { quantitiesFor, type CellOptions } from './architectures.ts';
import { activationFn } from './activations.ts';
import { glorotUniform, type CellSpec, type LayerWeights } from './cell-spec.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';
import { matVec, norm2 } from './linalg.ts';

/**
 * Vanilla recurrent layers: h' = φ(x W + h U + b). Recorded: h and the pre-activation a.
 *  - rnn:   φ = tanh, Glorot-uniform weights.
 *  - irnn:  φ = ReLU, U = I, b = 0, W ~ N(0, 0.001²) (Le, Jaitly & Hinton 2015).
 *  - nprnn: φ = ReLU, U = (I + A) / e with A = RᵀR / N, R standard normal N×N and e the largest
 *           eigenvalue of A + I, so U is symmetric positive definite with spectral radius 1
 *           (Talathi & Vartak 2015).
 */
function simpleStep(activation: (a: tf.Tensor2D) => tf.Tensor2D): CellSpec['step'] {
  return (x, state, w) => {
    const a = tf.add(tf.add(matMulFastGrad(x, w.kernel), matMulFastGrad(state.h as tf.Tensor2D, w.recurrentKernel)), w.bias) as tf.Tensor2D;
    const h = activation(a);
    return { state: { h }, quantities: { h, a } };
  };
}

export const rnnCell: CellSpec = {
  arch: 'rnn',
  label: 'RNN (tanh)',
  blocks: 1,
  stateNames: ['h'],
  quantities: quantitiesFor('rnn'),
  init(inputDim, hidden, seed): LayerWeights {
    return { kernel: glorotUniform(inputDim, hidden, seed), recurrentKernel: glorotUniform(hidden, hidden, seed + 1), bias: tf.zeros([hidden]) as tf.Tensor1D };
  },
  step: simpleStep((a) => tf.tanh(a) as tf.Tensor2D),
};

/** ReLU-RNN weights: input N(0, 0.001²), the given recurrent matrix [H, H], zero bias. */
function reluRnnWeights(inputDim: number, hidden: number, seed: number, recurrent: tf.Tensor2D): LayerWeights {
  return {
    kernel: tf.randomNormal([inputDim, hidden], 0, 0.001, 'float32', seed) as tf.Tensor2D,
    recurrentKernel: recurrent,
    bias: tf.zeros([hidden]) as tf.Tensor1D,
  };
}

export const irnnCell: CellSpec = {
  ...rnnCell,
  arch: 'irnn',
  label: 'IRNN (ReLU, identity init)',
  init(inputDim, hidden, seed): LayerWeights {
    return reluRnnWeights(inputDim, hidden, seed, tf.eye(hidden));
  },
  step: simpleStep((a) => tf.relu(a) as tf.Tensor2D),
};

/** Largest eigenvalue of a symmetric positive semi-definite matrix [n*n] by power iteration. */
export function largestEigenvalue(m: Float64Array, n: number, iterations = 500): number {
  let v = new Float64Array(n).fill(1 / Math.sqrt(n));
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    const w = matVec(m, n, v);
    const norm = norm2(w);
    if (norm === 0) return 0;
    const next = w.map((x) => x / norm);
    const delta = Math.abs(norm - lambda);
    lambda = norm;
    v = next;
    if (delta < 1e-12 * norm) break;
  }
  return lambda;
}

/** The np-RNN recurrent matrix (I + RᵀR/N) / e, [n*n] row-major, from a seeded normal R. */
export function npRnnRecurrentMatrix(n: number, seed: number): Float32Array {
  const r = tf.tidy(() => tf.randomNormal([n, n], 0, 1, 'float32', seed).dataSync() as Float32Array);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (r[k * n + i] ?? 0) * (r[k * n + j] ?? 0);
      const v = s / n + (i === j ? 1 : 0);
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  const e = largestEigenvalue(m, n);
  return Float32Array.from(m, (v) => v / e);
}

export const npRnnCell: CellSpec = {
  ...rnnCell,
  arch: 'nprnn',
  label: 'np-RNN (ReLU, normalised-positive-definite init)',
  init(inputDim, hidden, seed): LayerWeights {
    return reluRnnWeights(inputDim, hidden, seed, tf.tensor2d(npRnnRecurrentMatrix(hidden, seed + 1), [hidden, hidden]));
  },
  step: simpleStep((a) => tf.relu(a) as tf.Tensor2D),
};

/** A simple RNN with another activation (imported Keras / TensorFlow.js SimpleRNN layers). */
export function simpleRnnCellWith(base: CellSpec, options: CellOptions): CellSpec {
  return { ...base, step: simpleStep(activationFn(options.activation, base.arch === 'rnn' ? 'tanh' : 'relu')) };
}
