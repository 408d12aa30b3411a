import { BadRequestError } from '../errors.ts';
import { DEFAULT_CELL_OPTIONS, weightPrefix, type Activation, type Architecture, type LayerSpec, type RecurrentActivation } from '../../models/architectures.ts';
import type { NamedArray } from '../train/weights-codec.ts';
import { foldEmbedding } from './fold-embedding.ts';
import type { ImportedModel } from './imported-model.ts';

/**
 * The common end of every importer that reads weights by gate blocks (PyTorch, ONNX): a stack of
 * recurrent layers in Cellscope's (Keras's) layout, each its own kind and size, an optional embedding and a read-out, checked
 * and named as checkpoints name them. Each importer turns its framework's layout into this one
 * (gate-layout.ts) and says what it read in `source` for messages.
 */

/** One recurrent layer, Keras layout: kernel [in, G·H], recurrent kernel [H, G·H], gate blocks i f c o / z r h. */
export interface StackLayer {
  arch: Architecture;
  units: number;
  inDim: number;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  /** A reset-after GRU's recurrent bias (added inside the reset product). */
  recurrentBias?: Float32Array;
  /** The cell's activation (an RNN's tanh or relu; an LSTM's or GRU's candidate activation). */
  activation: Activation;
  /** The gates' activation (default sigmoid). */
  recurrentActivation?: RecurrentActivation;
  /** A GRU whose reset gate applies after the recurrent product (PyTorch's, Keras's default). */
  resetAfter: boolean;
  /** Where it came from, for messages: "rnn.weight_ih_l1", "LSTM node /rnn/LSTM_1". */
  source: string;
  /** How its framework would call it, for the summary: "LSTM(80)", "GRU(48, reset_after)". */
  label: string;
  /** One direction of a bidirectional layer (default forward). */
  direction?: 'forward' | 'backward';
  /** The layers whose h make its input ([]: the tokens); default the layer below. */
  inputs?: number[];
}

export interface RecurrentStack {
  /** Tokens read (the one-hot width, or the embedding's rows). */
  vocabSize: number;
  /** E [V, D], folded into the first kernel. */
  embedding?: { data: Float32Array; dim: number };
  /** Bottom first; layers may differ in kind, size and activations. */
  layers: StackLayer[];
  /** Read-out kernel [H_top, V] and bias [V] ([H_top, C] and [C] for a classifier); null: none (a bidirectional encoder). */
  head: { kernel: Float32Array; bias: Float32Array } | null;
  /** A classifier: the read-out scores this many classes instead of the next token. */
  classes?: number;
  warnings: string[];
  /** How the framework names the read-out, for the summary: "Linear", "Dense softmax". */
  headName: string;
}

const GATES: Record<string, number> = { lstm: 4, gru: 3, rnn: 1 };

/** A bidirectional stack by depth: "2 × BiLSTM(8)", or each depth's "BiLSTM(8)" in turn. */
function describeBidirectional(layers: readonly StackLayer[]): string {
  return describeLayers(layers.filter((l) => l.direction !== 'backward').map((l) => `Bi${l.label}`));
}

/** The layers' labels in order, "2 × LSTM(16)" when all alike. */
function describeLayers(labels: readonly string[]): string {
  const first = labels[0] ?? '';
  return labels.length > 1 && labels.every((l) => l === first) ? `${labels.length} × ${first}` : labels.join(' → ');
}

export function assembleStack(stack: RecurrentStack): ImportedModel {
  const top = stack.layers[stack.layers.length - 1];
  if (!top) throw new BadRequestError('the model has no recurrent layer', 'files');
  const V = stack.vocabSize;
  const weights: NamedArray[] = [];
  stack.layers.forEach((l, i) => {
    const H = l.units;
    const G = GATES[l.arch] ?? 1;
    const inputs = l.inputs ?? (i === 0 ? [] : [i - 1]);
    const from = inputs.map((k) => stack.layers[k]);
    const inDim = inputs.length === 0 ? (stack.embedding?.dim ?? V) : from.reduce((a, b) => a + (b?.units ?? 0), 0);
    if (l.inDim !== inDim) throw new BadRequestError(`${l.source} reads ${l.inDim} inputs, but ${inputs.length ? `layer${inputs.length > 1 ? 's' : ''} ${inputs.join(' and ')} (${from.map((b) => b?.label).join(', ')}) give${inputs.length > 1 ? '' : 's'} ${inDim}` : stack.embedding ? `the embedding gives ${inDim}` : `the vocabulary has ${inDim} tokens`}`, 'files');
    // Layers reading the tokens read them through the embedding: folded into their kernels.
    const kernel = inputs.length === 0 && stack.embedding ? foldEmbedding(stack.embedding.data, l.kernel, V, stack.embedding.dim, G * H) : l.kernel;
    const prefix = `${weightPrefix(l.arch)}_${i}`;
    weights.push({ name: `${prefix}/kernel`, shape: [inputs.length === 0 ? V : inDim, G * H], data: kernel });
    weights.push({ name: `${prefix}/recurrent_kernel`, shape: [H, G * H], data: l.recurrentKernel });
    weights.push({ name: `${prefix}/bias`, shape: [G * H], data: l.bias });
    if (l.recurrentBias) weights.push({ name: `${prefix}/recurrent_bias`, shape: [G * H], data: l.recurrentBias });
  });
  const O = stack.classes ?? V;
  if (stack.head) {
    if (stack.head.kernel.length !== top.units * O || stack.head.bias.length !== O) throw new BadRequestError(`the read-out has ${stack.head.bias.length} outputs where ${O} ${stack.classes !== undefined ? 'classes' : 'tokens'} were expected`, 'files');
    weights.push({ name: 'output/kernel', shape: [top.units, O], data: stack.head.kernel });
    weights.push({ name: 'output/bias', shape: [O], data: stack.head.bias });
  }
  const bidirectional = stack.layers.some((l) => l.direction === 'backward');
  const summary = [
    stack.embedding ? `Embedding(${V}→${stack.embedding.dim})` : `one-hot(${V})`,
    bidirectional ? describeBidirectional(stack.layers) : describeLayers(stack.layers.map((l) => l.label)),
    ...(stack.head ? [stack.classes !== undefined ? `${stack.headName}(${O} classes)` : `${stack.headName}(${V})`] : ['no read-out']),
  ].join(' → ');
  const layers: LayerSpec[] = stack.layers.map((l) => ({
    arch: l.arch,
    units: l.units,
    options: { ...DEFAULT_CELL_OPTIONS, recurrentActivation: l.recurrentActivation ?? 'sigmoid', activation: l.activation, resetAfter: l.resetAfter },
    ...(l.direction === 'backward' ? { direction: 'backward' as const } : {}),
    ...(l.inputs ? { inputs: l.inputs } : {}),
  }));
  return {
    shape: { vocabSize: V, stack: layers, ...(stack.classes !== undefined ? { classes: stack.classes } : {}), ...(stack.head ? {} : { readout: false }) },
    weights, warnings: stack.warnings, summary,
  };
}
