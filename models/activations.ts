import { tf } from '../lib/tf/backend.ts';
import type { Activation, RecurrentActivation } from './architectures.ts';

/** tfjs-layers' and Keras 2's hard sigmoid: clip(0.2 x + 0.5, 0, 1). */
export function hardSigmoid(x: tf.Tensor2D): tf.Tensor2D {
  return tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1) as tf.Tensor2D;
}

export function gateActivation(kind: RecurrentActivation | undefined): (x: tf.Tensor2D) => tf.Tensor2D {
  return kind === 'hard_sigmoid' ? hardSigmoid : (x) => tf.sigmoid(x) as tf.Tensor2D;
}

export function activationFn(kind: Activation | undefined, fallback: Activation): (x: tf.Tensor2D) => tf.Tensor2D {
  switch (kind ?? fallback) {
    case 'tanh':
      return (x) => tf.tanh(x) as tf.Tensor2D;
    case 'relu':
      return (x) => tf.relu(x) as tf.Tensor2D;
    case 'linear':
      return (x) => x;
    case 'sigmoid':
      return (x) => tf.sigmoid(x) as tf.Tensor2D;
    case 'hard_sigmoid':
      return hardSigmoid;
  }
}
