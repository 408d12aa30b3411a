import { tf } from '../lib/tf/backend.ts';
import type { CellOptions } from './architectures.ts';
import type { CellSpec, LayerWeights, StepContext } from './cell-spec.ts';
import { lstmCell, lstmFromPreactivations } from './lstm.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';

/** Variance floor inside the normalisation. */
const EPS = 1e-5;
/** Population estimates move this far toward each training batch's statistics. */
export const POPULATION_MOMENTUM = 0.1;
/** Initial gain (Cooijmans et al.: 0.1 keeps the gates out of saturation at the start). */
export const BN_GAIN_INIT = 0.1;

/**
 * Recurrent batch normalisation for the LSTM (Cooijmans, Ballas, Laurent, Gülçehre & Courville
 * 2016): the recurrent and the input pre-activations are normalised separately, and the cell state
 * before its tanh,
 *   z = BN(h U; γh) + BN(x W; γx) + b;  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(BN(c'; γc, βc))
 * with BN(a; γ, β) = β + γ ⊙ (a - mean) / sqrt(var + ε) over the batch, statistics kept separately
 * for each timestep t < T of the training window (T = the run's sequence length) and the last
 * timestep's used beyond it. γ starts at 0.1; the shifts of the two pre-activation terms are left
 * out (b already shifts them). Training uses each batch's statistics and hands them to
 * ctx.collect; inference uses the population estimates (the pop_ extras, updated by the trainer
 * after every step). Recorded quantities are the LSTM's.
 */
export function batchNormLstmCell(options: CellOptions): CellSpec {
  const T = Math.max(1, options.normSteps ?? 64);
  return {
    ...lstmCell,
    label: 'LSTM with recurrent batch normalisation',
    init(inputDim, hidden, seed): LayerWeights {
      const base = lstmCell.init(inputDim, hidden, seed);
      const G = 4 * hidden;
      return {
        ...base,
        extras: {
          gain_x: tf.fill([G], BN_GAIN_INIT) as tf.Tensor1D,
          gain_h: tf.fill([G], BN_GAIN_INIT) as tf.Tensor1D,
          gain_c: tf.fill([hidden], BN_GAIN_INIT) as tf.Tensor1D,
          shift_c: tf.zeros([hidden]) as tf.Tensor1D,
          pop_mean_x: tf.zeros([T * G]) as tf.Tensor1D,
          pop_var_x: tf.ones([T * G]) as tf.Tensor1D,
          pop_mean_h: tf.zeros([T * G]) as tf.Tensor1D,
          pop_var_h: tf.ones([T * G]) as tf.Tensor1D,
          pop_mean_c: tf.zeros([T * hidden]) as tf.Tensor1D,
          pop_var_c: tf.ones([T * hidden]) as tf.Tensor1D,
        },
      };
    },
    step(x, state, w, dropout, ctx) {
      const e = w.extras;
      const need = ['gain_x', 'gain_h', 'gain_c', 'shift_c', 'pop_mean_x', 'pop_var_x', 'pop_mean_h', 'pop_var_h', 'pop_mean_c', 'pop_var_c'];
      if (!e || need.some((n) => !e[n])) throw new Error('batch-norm LSTM weights lack their gains, shifts or population statistics');
      const extra = (n: string): tf.Tensor1D => e[n] as tf.Tensor1D;
      const bn = (a: tf.Tensor2D, which: 'x' | 'h' | 'c', gain: tf.Tensor1D, shift?: tf.Tensor1D): tf.Tensor2D => {
        const { mean, variance } = statistics(a, which, extra(`pop_mean_${which}`), extra(`pop_var_${which}`), T, ctx);
        const normed = tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, EPS))), gain);
        return (shift ? tf.add(normed, shift) : normed) as tf.Tensor2D;
      };
      const zx = bn(matMulFastGrad(x, w.kernel), 'x', extra('gain_x'));
      const zh = bn(matMulFastGrad(state.h as tf.Tensor2D, w.recurrentKernel), 'h', extra('gain_h'));
      const z = tf.add(tf.add(zx, zh), w.bias) as tf.Tensor2D;
      return lstmFromPreactivations(z, state.c as tf.Tensor2D, dropout, (c) => bn(c, 'c', extra('gain_c'), extra('shift_c')));
    },
  };
}

/**
 * The mean and variance to normalise `a` [B, D] with: the batch's own (training; handed to
 * ctx.collect) or the population estimates' row for timestep min(t, T - 1) (inference; the last
 * row without a context).
 */
function statistics(a: tf.Tensor2D, which: string, popMean: tf.Tensor1D, popVar: tf.Tensor1D, T: number, ctx: StepContext | undefined): { mean: tf.Tensor; variance: tf.Tensor } {
  if (ctx?.training) {
    const { mean, variance } = tf.moments(a, 0);
    ctx.collect?.({ which, t: Math.min(ctx.t, T - 1), mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D });
    return { mean, variance };
  }
  const D = a.shape[1];
  const row = Math.min(ctx?.t ?? T - 1, T - 1);
  return { mean: tf.slice(popMean, [row * D], [D]), variance: tf.slice(popVar, [row * D], [D]) };
}

/**
 * Moves each layer's population estimates toward the batch statistics one training step used:
 * row t of pop_mean_<which> / pop_var_<which> becomes (1 - m) · row + m · batch (m =
 * POPULATION_MOMENTUM); rows the step did not see stay. Disposes the collected tensors.
 */
export function updatePopulationStats(layers: readonly { extras: [string, tf.Variable][] }[], collected: readonly { layer: number; stats: { which: string; t: number; mean: tf.Tensor1D; variance: tf.Tensor1D } }[]): void {
  tf.tidy(() => {
    layers.forEach((layer, l) => {
      const extras = new Map(layer.extras);
      for (const which of ['x', 'h', 'c']) {
        const mine = collected.filter((c) => c.layer === l && c.stats.which === which);
        if (mine.length === 0) continue;
        for (const [kind, pick] of [['mean', (s: { mean: tf.Tensor1D }) => s.mean], ['var', (s: { variance: tf.Tensor1D }) => s.variance]] as const) {
          const pop = extras.get(`pop_${kind}_${which}`);
          if (!pop) throw new Error(`layer ${l} has no pop_${kind}_${which}`);
          const D = (mine[0] as (typeof mine)[number]).stats.mean.shape[0];
          const T = pop.shape[0] / D;
          const byT = new Map(mine.map((c) => [c.stats.t, pick(c.stats)]));
          const rows = Array.from({ length: T }, (_, t) => {
            const old = tf.slice(pop, [t * D], [D]);
            const seen = byT.get(t);
            return seen ? tf.add(tf.mul(old, 1 - POPULATION_MOMENTUM), tf.mul(seen, POPULATION_MOMENTUM)) : old;
          });
          pop.assign(tf.concat(rows));
        }
      }
    });
  });
  tf.dispose(collected.flatMap((c) => [c.stats.mean, c.stats.variance]));
}
