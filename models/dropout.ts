import { tf } from '../lib/tf/backend.ts';

/**
 * Where dropout goes during training (the regularisation variants of the lecture):
 *  - feedforward:      the non-recurrent connections only (between layers, before the softmax),
 *                      a fresh mask every step (Zaremba et al. 2014);
 *  - variational:      one mask per sequence on the inputs of the upper layers, on the softmax
 *                      input and on the recurrent h (Gal & Ghahramani 2016);
 *  - recurrent-update: the cell update g (LSTM) or candidate n (GRU) only, "without memory loss"
 *                      (Semeniuta et al. 2016);
 *  - cell:             the new cell state c (LSTM), for comparison: it erases memory.
 */
export const DROPOUT_KINDS = ['feedforward', 'variational', 'recurrent-update', 'cell'] as const;
export type DropoutKind = (typeof DROPOUT_KINDS)[number];

/** Per-sequence masks for variational dropout, drawn once per batch. */
export interface VariationalMasks {
  /** Input mask per layer ([B, H]); none for layer 0, whose one-hot input is left whole. */
  input: (tf.Tensor2D | null)[];
  recurrent: tf.Tensor2D[];
  output: tf.Tensor2D;
}

export interface DropoutPlan {
  kind: DropoutKind;
  rate: number;
  variational?: VariationalMasks;
}

/** An inverted-dropout mask: 0 with probability `rate`, 1 / (1 - rate) otherwise. */
export function dropoutMask(shape: [number, number], rate: number): tf.Tensor2D {
  return tf.tidy(() => tf.div(tf.cast(tf.greaterEqual(tf.randomUniform(shape), rate), 'float32'), 1 - rate) as tf.Tensor2D);
}

export function variationalMasks(layers: number, batch: number, hidden: number, rate: number): VariationalMasks {
  return {
    input: Array.from({ length: layers }, (_, l) => (l === 0 ? null : dropoutMask([batch, hidden], rate))),
    recurrent: Array.from({ length: layers }, () => dropoutMask([batch, hidden], rate)),
    output: dropoutMask([batch, hidden], rate),
  };
}

export function disposeVariationalMasks(m: VariationalMasks): void {
  tf.dispose([...m.input.filter((t): t is tf.Tensor2D => t !== null), ...m.recurrent, m.output]);
}

/** Dropout inside a cell's step (recurrent-update on g / n, or cell on c), or the identity. */
export interface StepDropout {
  update?: (t: tf.Tensor2D) => tf.Tensor2D;
  cell?: (t: tf.Tensor2D) => tf.Tensor2D;
}
