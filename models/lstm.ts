import { tf } from '../lib/tf/backend.ts';
import { quantitiesFor } from './architectures.ts';
import { glorotUniform, type CellSpec, type CellState, type LayerWeights } from './cell-spec.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';

/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997, with forget gate), gate blocks in
 * Keras order i, f, g (the candidate c~), o:
 *   z = x W + h U + b;  i = σ(z_i), f = σ(z_f), g = tanh(z_g), o = σ(z_o)
 *   c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
 * Recorded: c, h and the four gates.
 */
export const lstmCell: CellSpec = {
  arch: 'lstm',
  label: 'LSTM',
  blocks: 4,
  stateNames: ['h', 'c'],
  quantities: quantitiesFor('lstm'),
  stepDropout: ['update', 'cell'],
  init(inputDim, hidden, seed): LayerWeights {
    // Glorot-uniform kernels and unit forget bias (Jozefowicz et al. 2015), as tfjs-layers does.
    const bias = new Float32Array(4 * hidden);
    bias.fill(1, hidden, 2 * hidden);
    return {
      kernel: glorotUniform(inputDim, 4 * hidden, seed),
      recurrentKernel: glorotUniform(hidden, 4 * hidden, seed + 1),
      bias: tf.tensor1d(bias),
    };
  },
  step(x, state, w, dropout) {
    const h0 = state.h as tf.Tensor2D;
    const c0 = state.c as tf.Tensor2D;
    const z = tf.add(tf.add(matMulFastGrad(x, w.kernel), matMulFastGrad(h0, w.recurrentKernel)), w.bias) as tf.Tensor2D;
    const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const i = tf.sigmoid(zi);
    const f = tf.sigmoid(zf);
    const g = tf.tanh(zg);
    const o = tf.sigmoid(zo);
    // Training-only dropout: on the update g (Semeniuta et al.) or on the new cell state.
    const gIn = dropout?.update ? dropout.update(g) : g;
    const cNew = tf.add(tf.mul(f, c0), tf.mul(i, gIn)) as tf.Tensor2D;
    const c = dropout?.cell ? dropout.cell(cNew) : cNew;
    const h = tf.mul(o, tf.tanh(c)) as tf.Tensor2D;
    const next: CellState = { h, c };
    return { state: next, quantities: { c, h, i, f, o, g } };
  },
};
