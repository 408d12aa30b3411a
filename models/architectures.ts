/**
 * The architectures Cellscope trains and records, and the quantities each one records per layer,
 * with their labels. Plain data, importable from client components (models/registry.ts holds the
 * cell implementations, which need TensorFlow.js).
 */
export const ARCHITECTURES = ['lstm', 'gru', 'rnn', 'irnn', 'nprnn', 'rhn', 'esn'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Short names for tables and run names. */
export const ARCHITECTURE_SHORT: Record<Architecture, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN', irnn: 'IRNN', nprnn: 'np-RNN', rhn: 'RHN', esn: 'ESN' };

export const ARCHITECTURE_LABELS: Record<Architecture, string> = {
  lstm: 'LSTM',
  gru: 'GRU',
  rnn: 'RNN (tanh)',
  irnn: 'IRNN (ReLU, identity init)',
  nprnn: 'np-RNN (ReLU, positive-definite init)',
  rhn: 'Recurrent Highway Network',
  esn: 'Echo state network (only the read-out trained)',
};

/** Options some cells take: RHN recurrence depth and gate coupling, ESN reservoir radius. */
export interface CellOptions {
  /** RHN: micro-layers per timestep (Zilly et al.'s recurrence depth L). */
  depth: number;
  /** RHN: carry gate c = 1 - t (true) or a gate of its own (false). */
  coupled: boolean;
  /** ESN: spectral radius the fixed reservoir is scaled to. */
  spectralRadius: number;
  /**
   * LSTM: layer normalisation (Ba et al. 2016) or recurrent batch normalisation (Cooijmans et al.
   * 2016) of the pre-activations and the cell state.
   */
  norm: 'none' | 'layer' | 'batch';
  /** Batch norm: timesteps with their own statistics (the training sequence length, default 64). */
  normSteps?: number;
  /**
   * Models brought from Keras or TensorFlow.js (lib/import/): the gates' activation (tfjs-layers
   * defaults to hard_sigmoid, clip(0.2x + 0.5, 0, 1)), the candidate/output activation of an LSTM
   * or GRU or the activation of a simple RNN, and Keras's GRU reset_after (the reset gate applied
   * after the recurrent product, with a separate recurrent bias). Cellscope's own runs use the
   * defaults: sigmoid, tanh, reset before.
   */
  recurrentActivation?: RecurrentActivation;
  activation?: Activation;
  resetAfter?: boolean;
}

export const RECURRENT_ACTIVATIONS = ['sigmoid', 'hard_sigmoid'] as const;
export type RecurrentActivation = (typeof RECURRENT_ACTIVATIONS)[number];
export const ACTIVATIONS = ['tanh', 'relu', 'linear', 'sigmoid', 'hard_sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** True when a cell uses only the activations Cellscope's own cells (and fused kernels) use. */
export function hasDefaultActivations(o: CellOptions | undefined, arch: Architecture): boolean {
  const act = o?.activation ?? (arch === 'irnn' || arch === 'nprnn' ? 'relu' : 'tanh');
  const natural = arch === 'irnn' || arch === 'nprnn' ? 'relu' : 'tanh';
  return (o?.recurrentActivation ?? 'sigmoid') === 'sigmoid' && act === natural && !o?.resetAfter;
}

export const NORMS = ['none', 'layer', 'batch'] as const;

/** One recurrent layer of a stack: its cell kind, its size and the cell's options. */
export interface LayerSpec {
  arch: Architecture;
  units: number;
  options?: CellOptions;
  /** backward: the layer reads its input right to left (one direction of a bidirectional layer). */
  direction?: 'forward' | 'backward';
  /**
   * The layers whose h, concatenated in this order, are its input ([]: the tokens). Default: the
   * layer below (the tokens for layer 0). A bidirectional layer's two directions both read both
   * directions of the one below.
   */
  inputs?: readonly number[];
}

/** A stack of one cell kind and size, as Cellscope trains them. */
export interface UniformShape {
  arch: Architecture;
  layers: number;
  hidden: number;
  vocabSize: number;
  /** RHN depth / coupling, ESN spectral radius (defaults: DEFAULT_CELL_OPTIONS). */
  options?: CellOptions;
  /** A classifier's classes (StackShape.classes). */
  classes?: number;
}

/** Any stack: each layer its own cell kind, size and options (imported models). */
export interface StackShape {
  vocabSize: number;
  stack: readonly LayerSpec[];
  /**
   * A classifier's classes: the read-out scores this many classes after every step (the last
   * step's is the model's answer) instead of the next token. Absent: a language model.
   */
  classes?: number;
  /** false: no read-out (a bidirectional encoder predicts no next token); default true. */
  readout?: boolean;
}

export type CharModelShape = UniformShape | StackShape;

/** The layers whose h make layer l's input, in order ([]: the tokens). */
export function layerInputs(stack: readonly LayerSpec[], l: number): number[] {
  const spec = stack[l];
  if (spec?.inputs) return [...spec.inputs];
  return l === 0 ? [] : [l - 1];
}

/** True when some layer reads right to left: the model runs over whole sequences. */
export function hasBackwardLayer(stack: readonly LayerSpec[]): boolean {
  return stack.some((l) => l.direction === 'backward');
}

/**
 * How views and exports name layer l: its index, or in a stack with backward layers its depth
 * and direction ("0→", "0←", "1→"), each direction counted on its own.
 */
export function layerName(stack: readonly { direction?: 'forward' | 'backward' | undefined }[], l: number): string {
  if (!stack.some((s) => s.direction === 'backward')) return String(l);
  const dir = stack[l]?.direction ?? 'forward';
  const depth = stack.slice(0, l).filter((s) => (s.direction ?? 'forward') === dir).length;
  return `${depth}${dir === 'backward' ? '←' : '→'}`;
}

/** What the read-out scores: the next token (vocabSize of them) or a classifier's classes. */
export function readoutSize(shape: CharModelShape): number {
  return shape.classes ?? shape.vocabSize;
}

/** The layers a shape describes, bottom first. */
export function stackOf(shape: CharModelShape): LayerSpec[] {
  if ('stack' in shape) return [...shape.stack];
  return Array.from({ length: shape.layers }, () => ({ arch: shape.arch, units: shape.hidden, ...(shape.options ? { options: shape.options } : {}) }));
}


export const DEFAULT_CELL_OPTIONS: CellOptions = { depth: 3, coupled: true, spectralRadius: 0.95, norm: 'none' };

/**
 * Recorded quantities per layer, in storage order (the cells in models/ produce exactly these).
 * RHN: the state h and, per micro-layer k, the transform gate tk (and carry gate ck if uncoupled).
 */
export function quantitiesFor(arch: Architecture, options: CellOptions = DEFAULT_CELL_OPTIONS): readonly string[] {
  switch (arch) {
    case 'lstm':
      return ['c', 'h', 'i', 'f', 'o', 'g'];
    case 'gru':
      return ['h', 'z', 'r', 'n'];
    case 'rhn': {
      const ks = Array.from({ length: options.depth }, (_, k) => k);
      return ['h', ...ks.map((k) => `t${k}`), ...(options.coupled ? [] : ks.map((k) => `c${k}`))];
    }
    default:
      return ['h', 'a'];
  }
}

export const QUANTITY_LABELS: Record<string, string> = {
  c: 'cell state c',
  h: 'hidden state h',
  i: 'input gate i',
  f: 'forget gate f',
  o: 'output gate o',
  g: 'cell update g',
  z: 'update gate z',
  r: 'reset gate r',
  n: 'candidate n',
  a: 'pre-activation a',
};

export function quantityLabel(q: string): string {
  const micro = /^([tc])(\d+)$/.exec(q);
  if (micro) return `${micro[1] === 't' ? 'transform' : 'carry'} gate, micro-layer ${Number(micro[2]) + 1}`;
  return QUANTITY_LABELS[q] ?? q;
}

/**
 * The state quantities among `quantities` (c and h): what select & match, saliency and the
 * neuron pages read. Their float16 chunks are a third of an LSTM's (with the match index, half).
 */
export function stateQuantities(quantities: readonly string[]): string[] {
  return quantities.filter((q) => q === 'c' || q === 'h');
}

/**
 * Whether a recorded quantity is a sigmoid gate with values in (0, 1): LSTM i f o, GRU z r, RHN
 * transform and carry gates. These get the saturation plot and gate traces.
 */
export function isGate(q: string): boolean {
  return q === 'i' || q === 'f' || q === 'o' || q === 'z' || q === 'r' || /^[tc]\d+$/.test(q);
}

/**
 * A stack in words, bottom first: "LSTM(80) → GRU(48)", or "2 × LSTM(128)" when every layer is
 * alike.
 */
export function describeStack(stack: readonly LayerSpec[]): string {
  const names = stack.map((l) => `${ARCHITECTURE_SHORT[l.arch]}(${l.units})`);
  const first = names[0] ?? '';
  if (names.length > 1 && names.every((n) => n === first)) return `${names.length} × ${first}`;
  return names.join(' → ');
}

/** The checkpoint name prefix of an architecture's layers (the ReLU RNNs share the RNN's). */
export function weightPrefix(arch: Architecture): string {
  return arch === 'irnn' || arch === 'nprnn' ? 'rnn' : arch;
}
