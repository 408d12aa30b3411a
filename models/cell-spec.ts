import { tf } from '../lib/tf/backend.ts';
import type { StepDropout } from './dropout.ts';

/**
 * Every recurrent layer keeps its weights in Keras / tfjs-layers layout, gate blocks fused along
 * the last axis: kernel [inputDim, blocks*H], recurrentKernel [H, blocks*H], bias [blocks*H].
 * The block order is the architecture's (LSTM i f g o; GRU z r n; RNN a single block).
 */
export interface LayerWeights {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  /**
   * Further per-layer parameters by name (e.g. layer-norm gains and shifts), in a fixed order.
   * Names starting with `pop_` are population statistics: saved, but never trained.
   */
  extras?: Record<string, tf.Tensor1D>;
}

/**
 * Where a step sits, for cells whose maths depends on it (the batch-normalised LSTM keeps
 * statistics per timestep). Without a context a cell runs in inference mode at a late timestep.
 */
export interface StepContext {
  /** Timestep within the training window (0-based). */
  t: number;
  training: boolean;
  /** Training only: receives the batch statistics the step used, for the population estimates. */
  collect?: (stats: BatchStats) => void;
}

/** One normalisation's batch mean and variance at one timestep (names the extras it updates). */
export interface BatchStats {
  /** x | h | c: which normalisation (pop_mean_<which>, pop_var_<which>). */
  which: string;
  t: number;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** A layer's recurrent state: always h; the LSTM also carries c. Each [B, H]. */
export type CellState = Record<string, tf.Tensor2D>;

/**
 * One recurrent cell type: how it starts, how it steps, and what it exposes for recording.
 * step() returns every recordable quantity (the state and the gates) by name; call it inside
 * tf.tidy.
 */
export interface CellSpec {
  arch: string;
  label: string;
  blocks: number;
  /** Names of the state tensors carried between steps (h first). */
  stateNames: readonly string[];
  /** Recorded quantities per layer, in storage order (lib/record/quantities.ts labels them). */
  quantities: readonly string[];
  /** True when the recurrent layer's weights stay fixed and only the read-out trains (ESN). */
  frozen?: boolean;
  init(inputDim: number, hidden: number, seed: number): LayerWeights;
  /** Which in-step dropout this cell supports (StepDropout's update / cell). */
  stepDropout?: readonly ('update' | 'cell')[];
  step(x: tf.Tensor2D, state: CellState, w: LayerWeights, dropout?: StepDropout, ctx?: StepContext): { state: CellState; quantities: Record<string, tf.Tensor2D> };
}

export function zeroState(spec: CellSpec, batch: number, hidden: number): CellState {
  return Object.fromEntries(spec.stateNames.map((n) => [n, tf.zeros([batch, hidden]) as tf.Tensor2D]));
}

/** Marks a state's tensors to survive the enclosing tf.tidy. */
export function keepState(s: CellState): CellState {
  return Object.fromEntries(Object.entries(s).map(([k, t]) => [k, tf.keep(t)]));
}

export function disposeStates(states: readonly CellState[]): void {
  for (const s of states) tf.dispose(Object.values(s));
}

/** Glorot-uniform [fanIn, fanOut] matrix. */
export function glorotUniform(fanIn: number, fanOut: number, seed: number): tf.Tensor2D {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform([fanIn, fanOut], -limit, limit, 'float32', seed) as tf.Tensor2D;
}
