import { tf } from '../lib/tf/backend.ts';
import { quantitiesFor, type CellOptions } from './architectures.ts';
import { glorotUniform, type CellSpec, type LayerWeights } from './cell-spec.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';

/**
 * Recurrent Highway Network (Zilly et al. 2016) with recurrence depth L: per timestep, L
 * highway micro-layers; the input enters the first only.
 *   for k = 0..L-1:  a_k = [k = 0] x W + s_{k-1} R_k + b_k        (blocks: H, T[, C])
 *     h_k = tanh(a_k^H),  t_k = σ(a_k^T),  c_k = 1 - t_k (coupled) or σ(a_k^C)
 *     s_k = h_k ⊙ t_k + s_{k-1} ⊙ c_k
 *   s_{-1} = the previous timestep's s_{L-1}; the layer's output h = s_{L-1}.
 * Weights: kernel [in, G*H], recurrentKernel [H, L*G*H] (micro-layer k at columns k*G*H...),
 * bias [L*G*H], G = 2 coupled, 3 uncoupled. Transform-gate biases start at -2, so layers first
 * carry their state (the paper's advice for deep highway layers).
 * Recorded: h, and per micro-layer the transform gate tk (and carry gate ck when uncoupled).
 */
export function rhnCell(options: CellOptions): CellSpec {
  const L = options.depth;
  const G = options.coupled ? 2 : 3;
  return {
    arch: 'rhn',
    label: `RHN depth ${L}${options.coupled ? ' (coupled)' : ''}`,
    blocks: G,
    stateNames: ['h'],
    quantities: quantitiesFor('rhn', options),
    init(inputDim, hidden, seed): LayerWeights {
      const bias = new Float32Array(L * G * hidden);
      for (let k = 0; k < L; k++) bias.fill(-2, (k * G + 1) * hidden, (k * G + 2) * hidden);
      return {
        kernel: glorotUniform(inputDim, G * hidden, seed),
        recurrentKernel: glorotUniform(hidden, L * G * hidden, seed + 1),
        bias: tf.tensor1d(bias),
      };
    },
    step(x, state, w) {
      // No split at depth 1: tfjs's gradient of a one-piece split fails ("at least one tensor").
      const recurrent = L === 1 ? [w.recurrentKernel] : (tf.split(w.recurrentKernel, L, 1) as tf.Tensor2D[]);
      const biases = L === 1 ? [w.bias] : (tf.split(w.bias, L, 0) as tf.Tensor1D[]);
      const xw = matMulFastGrad(x, w.kernel);
      let s = state.h as tf.Tensor2D;
      const quantities: Record<string, tf.Tensor2D> = {};
      for (let k = 0; k < L; k++) {
        let a = tf.add(matMulFastGrad(s, recurrent[k] as tf.Tensor2D), biases[k] as tf.Tensor1D) as tf.Tensor2D;
        if (k === 0) a = tf.add(a, xw) as tf.Tensor2D;
        const parts = tf.split(a, G, 1) as tf.Tensor2D[];
        const h = tf.tanh(parts[0] as tf.Tensor2D) as tf.Tensor2D;
        const t = tf.sigmoid(parts[1] as tf.Tensor2D) as tf.Tensor2D;
        const c = options.coupled ? (tf.sub(1, t) as tf.Tensor2D) : (tf.sigmoid(parts[2] as tf.Tensor2D) as tf.Tensor2D);
        s = tf.add(tf.mul(h, t), tf.mul(s, c)) as tf.Tensor2D;
        quantities[`t${k}`] = t;
        if (!options.coupled) quantities[`c${k}`] = c;
      }
      quantities.h = s;
      return { state: { h: s }, quantities };
    },
  };
}
