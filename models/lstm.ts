import { tf } from '../lib/tf/backend.ts';
import { quantitiesFor, type CellOptions } from './architectures.ts';
import { activationFn, gateActivation } from './activations.ts';
import { glorotUniform, type CellSpec, type CellState, type LayerWeights } from './cell-spec.ts';
import type { StepDropout } from './dropout.ts';
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
    const z = tf.add(tf.add(matMulFastGrad(x, w.kernel), matMulFastGrad(state.h as tf.Tensor2D, w.recurrentKernel)), w.bias) as tf.Tensor2D;
    return lstmFromPreactivations(z, state.c as tf.Tensor2D, dropout, (c) => c);
  },
};

/**
 * The LSTM's gates and new state from its pre-activations z [B, 4H] (blocks i, f, g, o), shared
 * by the plain and the layer-normalised cell; `cellSquash` maps c' before its tanh (identity, or
 * layer norm). Training-only dropout goes on the update g (Semeniuta et al.) or on the new c.
 */
export function lstmFromPreactivations(
  z: tf.Tensor2D,
  c0: tf.Tensor2D,
  dropout: StepDropout | undefined,
  cellSquash: (c: tf.Tensor2D) => tf.Tensor2D,
  gate: (x: tf.Tensor2D) => tf.Tensor2D = (x) => tf.sigmoid(x) as tf.Tensor2D,
  act: (x: tf.Tensor2D) => tf.Tensor2D = (x) => tf.tanh(x) as tf.Tensor2D,
): { state: CellState; quantities: Record<string, tf.Tensor2D> } {
  const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const i = gate(zi);
  const f = gate(zf);
  const g = act(zg);
  const o = gate(zo);
  const gIn = dropout?.update ? dropout.update(g) : g;
  const cNew = tf.add(tf.mul(f, c0), tf.mul(i, gIn)) as tf.Tensor2D;
  const c = dropout?.cell ? dropout.cell(cNew) : cNew;
  const h = tf.mul(o, act(cellSquash(c))) as tf.Tensor2D;
  return { state: { h, c }, quantities: { c, h, i, f, o, g } };
}

/**
 * The plain LSTM with other activations (imported Keras / TensorFlow.js models, lib/import/):
 * `gate` for i, f, o and `act` for g and the output squash, as Keras's recurrent_activation and
 * activation.
 */
export function lstmCellWith(options: CellOptions): CellSpec {
  const gate = gateActivation(options.recurrentActivation);
  const act = activationFn(options.activation, 'tanh');
  return {
    ...lstmCell,
    step(x, state, w, dropout) {
      const z = tf.add(tf.add(matMulFastGrad(x, w.kernel), matMulFastGrad(state.h as tf.Tensor2D, w.recurrentKernel)), w.bias) as tf.Tensor2D;
      return lstmFromPreactivations(z, state.c as tf.Tensor2D, dropout, (c) => c, gate, act);
    },
  };
}

/** Normalises each row of a [B, N] tensor to zero mean and unit variance, then gain and shift. */
function layerNorm(a: tf.Tensor2D, gain: tf.Tensor1D, shift: tf.Tensor1D): tf.Tensor2D {
  const { mean, variance } = tf.moments(a, 1, true);
  return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), gain), shift) as tf.Tensor2D;
}

/**
 * Layer-normalised LSTM (Ba, Kiros & Hinton 2016): the input and recurrent pre-activations are
 * normalised separately, and the cell state before its tanh:
 *   z = LN(x W; γx, βx) + LN(h U; γh, βh) + b;  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(LN(c'; γc, βc))
 * Extra parameters per layer: gain_x, shift_x, gain_h, shift_h [4H] and gain_c, shift_c [H]
 * (gains start at 1, shifts at 0). Recorded quantities are the LSTM's.
 */
export const layerNormLstmCell: CellSpec = {
  ...lstmCell,
  label: 'LSTM with layer normalisation',
  init(inputDim, hidden, seed): LayerWeights {
    const base = lstmCell.init(inputDim, hidden, seed);
    return {
      ...base,
      extras: {
        gain_x: tf.ones([4 * hidden]) as tf.Tensor1D,
        shift_x: tf.zeros([4 * hidden]) as tf.Tensor1D,
        gain_h: tf.ones([4 * hidden]) as tf.Tensor1D,
        shift_h: tf.zeros([4 * hidden]) as tf.Tensor1D,
        gain_c: tf.ones([hidden]) as tf.Tensor1D,
        shift_c: tf.zeros([hidden]) as tf.Tensor1D,
      },
    };
  },
  step(x, state, w, dropout) {
    const e = w.extras;
    if (!e?.gain_x || !e.shift_x || !e.gain_h || !e.shift_h || !e.gain_c || !e.shift_c) throw new Error('layer-norm LSTM weights lack their gains and shifts');
    const zx = layerNorm(matMulFastGrad(x, w.kernel), e.gain_x, e.shift_x);
    const zh = layerNorm(matMulFastGrad(state.h as tf.Tensor2D, w.recurrentKernel), e.gain_h, e.shift_h);
    const z = tf.add(tf.add(zx, zh), w.bias) as tf.Tensor2D;
    const { gain_c: gainC, shift_c: shiftC } = e;
    return lstmFromPreactivations(z, state.c as tf.Tensor2D, dropout, (c) => layerNorm(c, gainC, shiftC));
  },
};
