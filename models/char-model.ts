import { tf } from '../lib/tf/backend.ts';
import { ARCHITECTURES, DEFAULT_CELL_OPTIONS, hasBackwardLayer, layerInputs, readoutSize, stackOf, weightPrefix, type Architecture, type CharModelShape, type LayerSpec, type StackShape, type UniformShape } from './architectures.ts';
import { disposeStates, zeroState, type BatchStats, type CellSpec, type CellState, type LayerWeights, type StepContext } from './cell-spec.ts';
import { matMulFastGrad } from './matmul-fast-grad.ts';
import type { DropoutPlan, StepDropout } from './dropout.ts';
import { cellFor } from './registry.ts';

export { ARCHITECTURES, stackOf, weightPrefix, type Architecture, type CharModelShape, type LayerSpec, type StackShape, type UniformShape };

/** One recurrent layer of a model: what it is, its cell and its parameters. */
export interface ModelLayer {
  spec: LayerSpec;
  cell: CellSpec;
  kernel: tf.Variable; // [In, blocks·units]
  recurrentKernel: tf.Variable; // [units, blocks·units]
  bias: tf.Variable;
  extras: [string, tf.Variable][];
}

/**
 * A character-level recurrent language model: one-hot input -> stacked recurrent layers (each
 * its own cell kind and size) -> dense softmax over the vocabulary. Parameters are tf.Variables
 * so optimizers can train them. Variables are left unnamed (tfjs names must be unique per
 * process, and several models may be loaded at once); `parameterNames` gives their stable names,
 * in `modelVariables` order.
 */
export interface CharModel {
  shape: StackShape;
  layers: ModelLayer[];
  /** The read-out, [units of the top layer, V] and [V]; null for a model without one (a bidirectional encoder). */
  outKernel: tf.Variable | null;
  outBias: tf.Variable | null;
}

/** The read-out, or an error for a model that has none. */
export function requireReadout(model: CharModel): { kernel: tf.Variable; bias: tf.Variable } {
  if (!model.outKernel || !model.outBias) throw new Error('this model has no read-out: a bidirectional encoder predicts no next token');
  return { kernel: model.outKernel, bias: model.outBias };
}

/** Stable parameter names used by checkpoints, e.g. lstm_0/kernel (Keras-style), in modelVariables order. */
export function parameterNames(model: CharModel): string[] {
  const names: string[] = [];
  model.layers.forEach((layer, l) => {
    const prefix = `${weightPrefix(layer.spec.arch)}_${l}`;
    names.push(`${prefix}/kernel`, `${prefix}/recurrent_kernel`, `${prefix}/bias`);
    for (const [name] of layer.extras) names.push(`${prefix}/${name}`);
  });
  if (model.outKernel) names.push('output/kernel', 'output/bias');
  return names;
}

/** Units of the top layer (what the read-out reads). */
export function topUnits(model: CharModel): number {
  const top = model.layers[model.layers.length - 1];
  if (!top) throw new Error('the model has no layers');
  return top.spec.units;
}

export function createCharModel(shape: CharModelShape, seed = 1): CharModel {
  const stack = stackOf(shape);
  if (stack.length === 0) throw new Error('a model needs at least one recurrent layer');
  const layers: ModelLayer[] = [];
  stack.forEach((spec, l) => {
    if (!ARCHITECTURES.includes(spec.arch)) throw new Error(`unknown architecture ${String(spec.arch)}`);
    const cell = cellFor(spec.arch, spec.options ?? DEFAULT_CELL_OPTIONS);
    const trainable = !cell.frozen;
    const inputs = layerInputs(stack, l);
    const inputDim = inputs.length === 0 ? shape.vocabSize : inputs.reduce((a, i) => a + ((stack[i] as LayerSpec | undefined)?.units ?? Number.NaN), 0);
    if (!Number.isInteger(inputDim) || inputs.some((i) => i >= l)) throw new Error(`layer ${l} reads layers ${inputs.join(', ')}: a layer reads only layers below it`);
    const w = cell.init(inputDim, spec.units, seed + 10 * l);
    const extras = Object.entries(w.extras ?? {}).map(([name, t]) => [name, tf.variable(t, trainable && !isPopulationStat(name))] as [string, tf.Variable]);
    layers.push({ spec, cell, kernel: tf.variable(w.kernel, trainable), recurrentKernel: tf.variable(w.recurrentKernel, trainable), bias: tf.variable(w.bias, trainable), extras });
    tf.dispose([w.kernel, w.recurrentKernel, w.bias, ...Object.values(w.extras ?? {})]);
  });
  const readout = !('stack' in shape) || shape.readout !== false;
  const H = (stack[stack.length - 1] as LayerSpec).units;
  const outputs = readoutSize(shape);
  const limit = Math.sqrt(6 / (H + outputs));
  const outKernel = readout ? tf.variable(tf.randomUniform([H, outputs], -limit, limit, 'float32', seed + 1000), true) : null;
  const outBias = readout ? tf.variable(tf.zeros([outputs]), true) : null;
  const kept: StackShape = { vocabSize: shape.vocabSize, stack, ...(shape.classes !== undefined ? { classes: shape.classes } : {}), ...(readout ? {} : { readout: false }) };
  return { shape: kept, layers, outKernel, outBias };
}

/** Population statistics (batch norm) are parameters that are estimated, not trained. */
export function isPopulationStat(name: string): boolean {
  return name.startsWith('pop_');
}

/** Every parameter, trained or fixed (checkpoints hold them all). */
export function modelVariables(model: CharModel): tf.Variable[] {
  return [...model.layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias, ...l.extras.map(([, v]) => v)]), ...(model.outKernel && model.outBias ? [model.outKernel, model.outBias] : [])];
}

/** The parameters the optimizer updates (an ESN's reservoir stays fixed). */
export function trainableVariables(model: CharModel): tf.Variable[] {
  return modelVariables(model).filter((v) => v.trainable);
}

export function disposeModel(model: CharModel): void {
  tf.dispose(modelVariables(model));
}

export function zeroStates(model: CharModel, batch: number): CellState[] {
  return model.layers.map((layer) => zeroState(layer.cell, batch, layer.spec.units));
}

export { disposeStates };

export function layerWeights(model: CharModel, l: number): LayerWeights {
  const layer = model.layers[l];
  if (!layer) throw new Error(`layer ${l} out of range`);
  return {
    kernel: layer.kernel as unknown as tf.Tensor2D,
    recurrentKernel: layer.recurrentKernel as unknown as tf.Tensor2D,
    bias: layer.bias as unknown as tf.Tensor1D,
    ...(layer.extras.length ? { extras: Object.fromEntries(layer.extras.map(([n, v]) => [n, v as unknown as tf.Tensor1D])) } : {}),
  };
}

export interface StackStep {
  states: CellState[];
  /** Every recordable quantity of every layer, by name. */
  quantities: Record<string, tf.Tensor2D>[];
  /** Top layer's output h (after dropout when training), [B, H]. */
  top: tf.Tensor2D;
}

/** The step's position for cells that need it, with batch statistics collected per layer. */
export interface StackContext {
  t: number;
  training: boolean;
  collect?: (layer: number, stats: BatchStats) => void;
}

/**
 * Runs every layer for one timestep. `dropout` (training only; models/dropout.ts) puts dropout
 * where its kind says: between layers and before the softmax (feedforward), per-sequence masks on
 * layer inputs and the recurrent h (variational), or inside the cell (recurrent-update, cell).
 * The carried state itself is never dropped.
 */
export function stackStep(model: CharModel, x: tf.Tensor2D, states: CellState[], dropout?: DropoutPlan, ctx?: StackContext): StackStep {
  const rate = dropout?.rate ?? 0;
  const kind = rate > 0 ? dropout?.kind : undefined;
  const drop = (t: tf.Tensor2D): tf.Tensor2D => tf.dropout(t, rate) as tf.Tensor2D;
  const inStep: StepDropout | undefined =
    kind === 'recurrent-update' ? { update: drop } : kind === 'cell' ? { cell: drop } : undefined;
  const masks = kind === 'variational' ? dropout?.variational : undefined;
  if (hasBackwardLayer(model.shape.stack)) throw new Error('a model with backward layers reads whole sequences (models/whole-sequence.ts), not one step at a time');
  let input = x;
  const next: CellState[] = [];
  const quantities: Record<string, tf.Tensor2D>[] = [];
  for (let l = 0; l < model.layers.length; l++) {
    const prev = states[l];
    if (!prev) throw new Error(`missing state for layer ${l}`);
    const inMask = masks?.input[l];
    const recMask = masks?.recurrent[l];
    const layerInput = inMask ? (tf.mul(input, inMask) as tf.Tensor2D) : input;
    const stepState = recMask ? { ...prev, h: tf.mul(prev.h as tf.Tensor2D, recMask) as tf.Tensor2D } : prev;
    const layerCtx: StepContext | undefined = ctx
      ? { t: ctx.t, training: ctx.training, ...(ctx.collect ? { collect: (stats: BatchStats) => ctx.collect?.(l, stats) } : {}) }
      : undefined;
    const out = (model.layers[l] as ModelLayer).cell.step(layerInput, stepState, layerWeights(model, l), inStep, layerCtx);
    next.push(out.state);
    quantities.push(out.quantities);
    input = out.state.h as tf.Tensor2D;
    if (kind === 'feedforward') input = drop(input);
  }
  if (masks) input = tf.mul(input, masks.output) as tf.Tensor2D;
  return { states: next, quantities, top: input };
}

/** Logits [N, V] for top-layer outputs [N, H]. */
export function outputLogits(model: CharModel, top: tf.Tensor2D): tf.Tensor2D {
  const { kernel, bias } = requireReadout(model);
  return tf.add(matMulFastGrad(top, kernel as unknown as tf.Tensor2D), bias) as tf.Tensor2D;
}

/** One-hot rows [B, V] for token ids. */
export function oneHotRows(ids: Int32Array, vocabSize: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(ids, 'int32'), vocabSize).toFloat() as tf.Tensor2D);
}
