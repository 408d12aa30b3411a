import { tf } from '../lib/tf/backend.ts';
import { quantitiesFor, type CellOptions } from './architectures.ts';
import { activationFn, gateActivation } from './activations.ts';
import { glorotUniform, type CellSpec, type LayerWeights } from './cell-spec.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';

/**
 * Gated recurrent unit (Cho et al. 2014), the "reset before" form of tfjs-layers and Keras with
 * reset_after=False; gate blocks z (update), r (reset), n (candidate):
 *   z = σ(x W_z + h U_z + b_z),  r = σ(x W_r + h U_r + b_r)
 *   n = tanh(x W_n + (r ⊙ h) U_n + b_n);  h' = z ⊙ h + (1 - z) ⊙ n
 * Recorded: h and the gates z, r, n.
 */
export const gruCell: CellSpec = {
  arch: 'gru',
  label: 'GRU',
  blocks: 3,
  stateNames: ['h'],
  quantities: quantitiesFor('gru'),
  stepDropout: ['update'],
  init(inputDim, hidden, seed): LayerWeights {
    return {
      kernel: glorotUniform(inputDim, 3 * hidden, seed),
      recurrentKernel: glorotUniform(hidden, 3 * hidden, seed + 1),
      bias: tf.zeros([3 * hidden]) as tf.Tensor1D,
    };
  },
  step(x, state, w, dropout) {
    const h0 = state.h as tf.Tensor2D;
    const H = h0.shape[1];
    const xw = tf.add(matMulFastGrad(x, w.kernel), w.bias) as tf.Tensor2D;
    const [xz, xr, xn] = tf.split(xw, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const [uZR, uN] = tf.split(w.recurrentKernel, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
    const [hz, hr] = tf.split(matMulFastGrad(h0, uZR), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const z = tf.sigmoid(tf.add(xz, hz)) as tf.Tensor2D;
    const r = tf.sigmoid(tf.add(xr, hr)) as tf.Tensor2D;
    const n = tf.tanh(tf.add(xn, matMulFastGrad(tf.mul(r, h0) as tf.Tensor2D, uN))) as tf.Tensor2D;
    const nIn = dropout?.update ? dropout.update(n) : n; // Semeniuta et al.'s dropout on the candidate
    const h = tf.add(tf.mul(z, h0), tf.mul(tf.sub(1, z), nIn)) as tf.Tensor2D;
    return { state: { h }, quantities: { h, z, r, n } };
  },
};

/**
 * The GRU with other activations and/or Keras's reset_after form (imported models, lib/import/):
 *   n = act(x W_n + b_n + r ⊙ (h U_n + b̂_n)),
 * with the recurrent bias b̂ (extras.recurrent_bias, [3H]) added to every recurrent product.
 */
export function gruCellWith(options: CellOptions): CellSpec {
  const gate = gateActivation(options.recurrentActivation);
  const act = activationFn(options.activation, 'tanh');
  const after = options.resetAfter === true;
  return {
    ...gruCell,
    init(inputDim, hidden, seed): LayerWeights {
      const w = gruCell.init(inputDim, hidden, seed);
      return after ? { ...w, extras: { recurrent_bias: tf.zeros([3 * hidden]) as tf.Tensor1D } } : w;
    },
    step(x, state, w, dropout) {
      const h0 = state.h as tf.Tensor2D;
      const H = h0.shape[1];
      const xw = tf.add(matMulFastGrad(x, w.kernel), w.bias) as tf.Tensor2D;
      const [xz, xr, xn] = tf.split(xw, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      let n: tf.Tensor2D;
      let z: tf.Tensor2D;
      let r: tf.Tensor2D;
      if (after) {
        const rb = w.extras?.recurrent_bias;
        if (!rb) throw new Error('a reset_after GRU needs its recurrent bias');
        const hu = tf.add(matMulFastGrad(h0, w.recurrentKernel), rb) as tf.Tensor2D;
        const [hz, hr, hn] = tf.split(hu, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        z = gate(tf.add(xz, hz) as tf.Tensor2D);
        r = gate(tf.add(xr, hr) as tf.Tensor2D);
        n = act(tf.add(xn, tf.mul(r, hn)) as tf.Tensor2D);
      } else {
        const [uZR, uN] = tf.split(w.recurrentKernel, [2 * H, H], 1) as [tf.Tensor2D, tf.Tensor2D];
        const [hz, hr] = tf.split(matMulFastGrad(h0, uZR), 2, 1) as [tf.Tensor2D, tf.Tensor2D];
        z = gate(tf.add(xz, hz) as tf.Tensor2D);
        r = gate(tf.add(xr, hr) as tf.Tensor2D);
        n = act(tf.add(xn, matMulFastGrad(tf.mul(r, h0) as tf.Tensor2D, uN)) as tf.Tensor2D);
      }
      const nIn = dropout?.update ? dropout.update(n) : n;
      const h = tf.add(tf.mul(z, h0), tf.mul(tf.sub(1, z), nIn)) as tf.Tensor2D;
      return { state: { h }, quantities: { h, z, r, n } };
    },
  };
}
