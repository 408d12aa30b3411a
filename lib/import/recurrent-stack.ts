import { BadRequestError } from '../errors.ts';
import { DEFAULT_CELL_OPTIONS, type Activation, type Architecture } from '../../models/architectures.ts';
import type { NamedArray } from '../train/weights-codec.ts';
import { foldEmbedding } from './fold-embedding.ts';
import type { ImportedModel } from './imported-model.ts';

/**
 * The common end of every importer that reads weights by gate blocks (PyTorch, ONNX): a stack of
 * recurrent layers in Cellscope's (Keras's) layout, an optional embedding and a read-out, checked
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
  /** Where it came from, for messages: "rnn.weight_ih_l1", "LSTM node /rnn/LSTM_1". */
  source: string;
}

export interface RecurrentStack {
  /** Tokens read (the one-hot width, or the embedding's rows). */
  vocabSize: number;
  /** E [V, D], folded into the first kernel. */
  embedding?: { data: Float32Array; dim: number };
  layers: StackLayer[];
  /** Read-out kernel [H, V] and bias [V]. */
  head: { kernel: Float32Array; bias: Float32Array };
  /** The cell's activation (an RNN's tanh or relu). */
  activation: Activation;
  resetAfter: boolean;
  warnings: string[];
  /** How the framework names the parts, for the summary: "LSTM" / "Linear". */
  names: { cell: string; head: string };
}

const GATES: Record<string, number> = { lstm: 4, gru: 3, rnn: 1 };

export function assembleStack(stack: RecurrentStack): ImportedModel {
  const first = stack.layers[0];
  if (!first) throw new BadRequestError('the model has no recurrent layer', 'files');
  const { arch, units: H } = first;
  const G = GATES[arch] ?? 1;
  const mixed = stack.layers.find((l) => l.arch !== arch || l.units !== H);
  if (mixed) throw new BadRequestError(`${mixed.source}: a ${mixed.arch.toUpperCase()}(${mixed.units}) layer after ${arch.toUpperCase()}(${H}) makes a mixed stack, which Cellscope does not import yet (one cell kind and size per model today)`, 'files');
  const V = stack.vocabSize;
  const weights: NamedArray[] = [];
  stack.layers.forEach((l, i) => {
    const inDim = i === 0 ? (stack.embedding?.dim ?? V) : H;
    if (l.inDim !== inDim) throw new BadRequestError(`${l.source} reads ${l.inDim} inputs, but ${i === 0 ? (stack.embedding ? `the embedding gives ${inDim}` : `the vocabulary has ${inDim} tokens`) : `layer ${i - 1} gives ${inDim}`}`, 'files');
    const kernel = i === 0 && stack.embedding ? foldEmbedding(stack.embedding.data, l.kernel, V, stack.embedding.dim, G * H) : l.kernel;
    const prefix = `${arch}_${i}`;
    weights.push({ name: `${prefix}/kernel`, shape: [i === 0 ? V : H, G * H], data: kernel });
    weights.push({ name: `${prefix}/recurrent_kernel`, shape: [H, G * H], data: l.recurrentKernel });
    weights.push({ name: `${prefix}/bias`, shape: [G * H], data: l.bias });
    if (l.recurrentBias) weights.push({ name: `${prefix}/recurrent_bias`, shape: [G * H], data: l.recurrentBias });
  });
  weights.push({ name: 'output/kernel', shape: [H, V], data: stack.head.kernel });
  weights.push({ name: 'output/bias', shape: [V], data: stack.head.bias });
  const summary = [
    stack.embedding ? `Embedding(${V}→${stack.embedding.dim})` : `one-hot(${V})`,
    `${stack.layers.length > 1 ? `${stack.layers.length} × ` : ''}${stack.names.cell}(${H}${arch === 'rnn' ? `, ${stack.activation}` : ''}${arch === 'gru' && !stack.resetAfter ? ', reset before' : ''})`,
    `${stack.names.head}(${V})`,
  ].join(' → ');
  return {
    shape: { arch, layers: stack.layers.length, hidden: H, vocabSize: V, options: { ...DEFAULT_CELL_OPTIONS, recurrentActivation: 'sigmoid', activation: stack.activation, resetAfter: stack.resetAfter } },
    weights,
    warnings: stack.warnings,
    summary,
  };
}
