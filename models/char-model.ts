import { tf } from '../lib/tf/backend.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';
import { initLstmLayer, lstmStep, type LstmGates, type LstmLayerWeights, type LstmState } from './lstm.ts';

/** Architectures this build can train and record. Later cell types register here. */
export const ARCHITECTURES = ['lstm'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export interface CharModelShape {
  arch: Architecture;
  layers: number;
  hidden: number;
  vocabSize: number;
}

/**
 * Variables are left unnamed (tfjs names must be unique per process, and several models may be
 * loaded at once); `parameterNames` gives their stable names, in `modelVariables` order.
 *
 * A character-level recurrent language model: one-hot input -> `layers` stacked LSTMs -> dense
 * softmax over the vocabulary. Parameters are tf.Variables so optimizers can train them.
 */
export interface CharModel {
  shape: CharModelShape;
  layers: { kernel: tf.Variable; recurrentKernel: tf.Variable; bias: tf.Variable }[];
  outKernel: tf.Variable; // [H, V]
  outBias: tf.Variable; // [V]
}

/** Stable parameter names, used by checkpoints (same names as a Keras-style export). */
export function parameterNames(shape: CharModelShape): string[] {
  const names: string[] = [];
  for (let l = 0; l < shape.layers; l++) {
    names.push(`lstm_${l}/kernel`, `lstm_${l}/recurrent_kernel`, `lstm_${l}/bias`);
  }
  names.push('output/kernel', 'output/bias');
  return names;
}

export function createCharModel(shape: CharModelShape, seed = 1): CharModel {
  const layers = [];
  for (let l = 0; l < shape.layers; l++) {
    const inputDim = l === 0 ? shape.vocabSize : shape.hidden;
    const w = initLstmLayer(inputDim, shape.hidden, seed + 10 * l);
    layers.push({
      kernel: tf.variable(w.kernel, true),
      recurrentKernel: tf.variable(w.recurrentKernel, true),
      bias: tf.variable(w.bias, true),
    });
    tf.dispose([w.kernel, w.recurrentKernel, w.bias]);
  }
  const limit = Math.sqrt(6 / (shape.hidden + shape.vocabSize));
  const outKernel = tf.variable(
    tf.randomUniform([shape.hidden, shape.vocabSize], -limit, limit, 'float32', seed + 1000),
    true,
  );
  const outBias = tf.variable(tf.zeros([shape.vocabSize]), true);
  return { shape, layers, outKernel, outBias };
}

export function modelVariables(model: CharModel): tf.Variable[] {
  return [...model.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]), model.outKernel, model.outBias];
}

export function disposeModel(model: CharModel): void {
  tf.dispose(modelVariables(model));
}

export function zeroStates(model: CharModel, batch: number): LstmState[] {
  return model.layers.map(() => ({
    h: tf.zeros([batch, model.shape.hidden]) as tf.Tensor2D,
    c: tf.zeros([batch, model.shape.hidden]) as tf.Tensor2D,
  }));
}

export function layerWeights(model: CharModel, l: number): LstmLayerWeights {
  const layer = model.layers[l];
  if (!layer) throw new Error(`layer ${l} out of range`);
  return {
    kernel: layer.kernel as unknown as tf.Tensor2D,
    recurrentKernel: layer.recurrentKernel as unknown as tf.Tensor2D,
    bias: layer.bias as unknown as tf.Tensor1D,
  };
}

export interface StackStep {
  states: LstmState[];
  gates: LstmGates[];
  /** Top layer's output h (after dropout when training), [B, H]. */
  top: tf.Tensor2D;
}

/**
 * Runs every layer for one timestep. `dropout` (0 = off) is applied to the non-recurrent
 * connections only, between layers and before the softmax (Zaremba et al. 2014).
 */
export function stackStep(model: CharModel, x: tf.Tensor2D, states: LstmState[], dropout = 0): StackStep {
  let input = x;
  const next: LstmState[] = [];
  const gates: LstmGates[] = [];
  for (let l = 0; l < model.layers.length; l++) {
    const prev = states[l];
    if (!prev) throw new Error(`missing state for layer ${l}`);
    const out = lstmStep(input, prev, layerWeights(model, l));
    next.push(out.state);
    gates.push(out.gates);
    input = dropout > 0 ? (tf.dropout(out.state.h, dropout) as tf.Tensor2D) : out.state.h;
  }
  return { states: next, gates, top: input };
}

/** Logits [N, V] for top-layer outputs [N, H]. */
export function outputLogits(model: CharModel, top: tf.Tensor2D): tf.Tensor2D {
  return tf.add(matMulFastGrad(top, model.outKernel as unknown as tf.Tensor2D), model.outBias) as tf.Tensor2D;
}

/** One-hot rows [B, V] for token ids. */
export function oneHotRows(ids: Int32Array, vocabSize: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(ids, 'int32'), vocabSize).toFloat() as tf.Tensor2D);
}
