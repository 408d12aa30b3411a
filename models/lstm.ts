import { tf } from '../lib/tf/backend.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';

/**
 * One LSTM layer's weights, in Keras / tfjs-layers layout so that checkpoints map onto
 * `tf.layers.lstm` one to one: gates fused along the last axis in the order i, f, g (the
 * candidate c~), o.
 *   kernel          [inputDim, 4H]
 *   recurrentKernel [H, 4H]
 *   bias            [4H]
 */
export interface LstmLayerWeights {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
}

export interface LstmState {
  h: tf.Tensor2D; // [B, H]
  c: tf.Tensor2D; // [B, H]
}

/** The gate activations of one step, each [B, H]: input i, forget f, candidate g, output o. */
export interface LstmGates {
  i: tf.Tensor2D;
  f: tf.Tensor2D;
  g: tf.Tensor2D;
  o: tf.Tensor2D;
}

export const LSTM_GATES = ['i', 'f', 'g', 'o'] as const;

/**
 * One timestep:
 *   z = x W + h U + b;  i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
 *   c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
 * x: [B, inputDim]. Call inside tf.tidy; the caller keeps what it needs.
 */
export function lstmStep(
  x: tf.Tensor2D,
  state: LstmState,
  w: LstmLayerWeights,
): { state: LstmState; gates: LstmGates } {
  const z = tf.add(tf.add(matMulFastGrad(x, w.kernel), matMulFastGrad(state.h, w.recurrentKernel)), w.bias) as tf.Tensor2D;
  const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const i = tf.sigmoid(zi);
  const f = tf.sigmoid(zf);
  const g = tf.tanh(zg);
  const o = tf.sigmoid(zo);
  const c = tf.add(tf.mul(f, state.c), tf.mul(i, g)) as tf.Tensor2D;
  const h = tf.mul(o, tf.tanh(c)) as tf.Tensor2D;
  return { state: { h, c }, gates: { i, f, g, o } };
}

/** Glorot-uniform kernels and unit forget bias (Jozefowicz et al. 2015), as tfjs-layers does. */
export function initLstmLayer(inputDim: number, hidden: number, seed: number): LstmLayerWeights {
  const glorot = (fanIn: number, fanOut: number, s: number): tf.Tensor2D => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    return tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', s) as tf.Tensor2D;
  };
  const bias = new Float32Array(4 * hidden);
  bias.fill(1, hidden, 2 * hidden);
  return {
    kernel: glorot(inputDim, 4 * hidden, seed),
    recurrentKernel: glorot(hidden, 4 * hidden, seed + 1),
    bias: tf.tensor1d(bias),
  };
}
