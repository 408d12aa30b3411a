import { tf } from '../../lib/tf/backend.ts';
import { DEFAULT_CELL_OPTIONS, hasDefaultActivations, type Architecture, type CellOptions } from '../architectures.ts';
import type { CellState } from '../cell-spec.ts';
import { stackOf, type CharModel, type CharModelShape, type ModelLayer } from '../char-model.ts';
import type { DropoutKind } from '../dropout.ts';
import type { LayerInput } from './input-projection.ts';
import { kernels } from './kernels.ts';
import type { LayerForward, LayerPass } from './layer-pass.ts';
import { lstmLayerForward } from './lstm-layer.ts';
import { gruLayerForward } from './gru-layer.ts';
import { simpleLayerForward } from './rnn-layer.ts';
import { rhnLayerForward } from './rhn-layer.ts';

/**
 * The fused engine seen from TensorFlow.js: each recurrent layer of a CharModel runs over the
 * whole [T, B] batch as one op (a tf.customGrad whose forward and backward are the WebAssembly
 * kernels), so the optimizers, checkpoints and the output layer stay in tfjs and the tfjs cells
 * remain the reference the kernels are tested against.
 */
export const FUSED_LAYERS: Record<Architecture, (options: CellOptions) => LayerForward> = {
  lstm: () => lstmLayerForward,
  gru: () => gruLayerForward,
  rnn: () => simpleLayerForward('tanh'),
  esn: () => simpleLayerForward('tanh'),
  irnn: () => simpleLayerForward('relu'),
  nprnn: () => simpleLayerForward('relu'),
  rhn: (options) => rhnLayerForward(options),
};

/** Why a model / dropout setting cannot run fused (it then runs on the tfjs cells), or null. */
export function fusedUnsupportedReason(shape: CharModelShape, dropoutKind: DropoutKind, dropoutRate: number): string | null {
  for (const layer of stackOf(shape)) {
    const { options, arch, units } = layer;
    if (options?.norm && options.norm !== 'none') return `${options.norm} normalisation runs on the tfjs cells`;
    if (!hasDefaultActivations(options, arch)) return 'imported activations or a reset_after GRU run on the tfjs cells';
    if (units % 4 !== 0) return `the fused kernels need a hidden size that is a multiple of 4 (got ${units})`;
  }
  if (dropoutRate > 0 && dropoutKind !== 'feedforward') return `${dropoutKind} dropout runs on the tfjs cells`;
  return null;
}

// Training passes waiting for their backward pass. A step that failed between forward and
// backward leaves its passes here; the next step frees them so kernel memory cannot pile up.
const pending = new Set<LayerPass>();

function releasePending(): void {
  for (const p of pending) p.release();
  pending.clear();
}

function layerForward(layer: ModelLayer): LayerForward {
  return FUSED_LAYERS[layer.spec.arch](layer.spec.options ?? DEFAULT_CELL_OPTIONS);
}

function arrays(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

export interface FusedStackOutput {
  /** Top layer's h for every step, [T·B, H] (after dropout when training). */
  top: tf.Tensor2D;
  states: CellState[];
}

/**
 * The whole stack over token ids [T·B] (row t·B + b), differentiable with respect to the model's
 * variables and the initial states. `dropout` is the feed-forward rate between layers and before
 * the softmax (training only).
 */
export function fusedStackTrain(model: CharModel, ids: Int32Array, states: CellState[], T: number, B: number, dropout = 0): FusedStackOutput {
  releasePending();
  const rt = kernels();
  const { vocabSize } = model.shape;
  let x: tf.Tensor2D | null = null;
  let inDim = vocabSize;
  const next: CellState[] = [];
  model.layers.forEach((layer, l) => {
    const fwd = layerForward(layer);
    const names = layer.cell.stateNames;
    const H = layer.spec.units;
    const xDim = inDim;
    const state = states[l];
    if (!state) throw new Error(`missing state for layer ${l}`);
    const dense = x !== null;
    const others = names.filter((n) => n !== 'h');
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const tensors = args.slice(0, -1) as tf.Tensor[];
      const [xIn, kernel, recurrentKernel, bias, ...st] = dense ? tensors : [null, ...tensors];
      const input: LayerInput = xIn ? { x: arrays(xIn), dim: xDim } : { ids, vocab: vocabSize };
      const pass = fwd(rt, input, {
        kernel: arrays(kernel as tf.Tensor),
        recurrentKernel: arrays(recurrentKernel as tf.Tensor),
        bias: arrays(bias as tf.Tensor),
      }, Object.fromEntries(names.map((n, k) => [n, arrays(st[k] as tf.Tensor)])), T, B);
      pending.add(pass);
      // customGrad takes one output tensor: hs [T·B, H] with the other final states (c) stacked
      // below it as B rows each.
      const value = new Float32Array((T + others.length) * B * H);
      value.set(pass.hs);
      others.forEach((n, k) => value.set(pass.final[n] as Float32Array, (T + k) * B * H));
      return {
        value: tf.tensor2d(value, [(T + others.length) * B, H]),
        gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
          const d = arrays(dy as tf.Tensor);
          pending.delete(pass);
          const g = pass.backward(d.subarray(0, T * B * H), Object.fromEntries(others.map((n, k) => [n, d.subarray((T + k) * B * H, (T + k + 1) * B * H)])));
          const state0 = names.map((n) => tf.tensor2d(g.state0[n] as Float32Array, [B, H]));
          const weights = [tf.tensor2d(g.kernel, (kernel as tf.Tensor).shape as [number, number]), tf.tensor2d(g.recurrentKernel, (recurrentKernel as tf.Tensor).shape as [number, number]), tf.tensor1d(g.bias)];
          return dense ? [tf.tensor2d(g.x as Float32Array, [T * B, xDim]), ...weights, ...state0] : [...weights, ...state0];
        },
      };
    });
    const inputs = [layer.kernel, layer.recurrentKernel, layer.bias, ...names.map((n) => state[n] as tf.Tensor)];
    const out = op(...(x ? [x, ...inputs] : inputs)) as tf.Tensor2D;
    const hs = others.length ? tf.slice(out, [0, 0], [T * B, H]) : out;
    next.push({
      h: tf.slice(out, [(T - 1) * B, 0], [B, H]),
      ...Object.fromEntries(others.map((n, k) => [n, tf.slice(out, [(T + k) * B, 0], [B, H])])),
    });
    x = dropout > 0 ? (tf.dropout(hs, dropout) as tf.Tensor2D) : hs;
    inDim = H;
  });
  if (!x) throw new Error('the model has no layers');
  return { top: x, states: next };
}

/**
 * Forward only, on typed arrays (recording and evaluation): runs every layer and returns the top
 * layer's hs [T·B, its units], the final states per layer and each layer's pass, whose quantities stay
 * readable in kernel memory until the caller releases the passes.
 */
export function fusedStackInfer(
  model: CharModel,
  ids: Int32Array,
  states: Record<string, Float32Array>[],
  T: number,
  B: number,
): { top: Float32Array; states: Record<string, Float32Array>[]; passes: LayerPass[] } {
  const rt = kernels();
  let input: LayerInput = { ids, vocab: model.shape.vocabSize };
  let top: Float32Array = new Float32Array(0);
  const next: Record<string, Float32Array>[] = [];
  const passes: LayerPass[] = [];
  try {
    model.layers.forEach((layer, l) => {
      const pass = layerForward(layer)(rt, input, { kernel: arrays(layer.kernel), recurrentKernel: arrays(layer.recurrentKernel), bias: arrays(layer.bias) }, states[l] ?? {}, T, B);
      passes.push(pass);
      next.push(pass.final);
      top = pass.hs;
      input = { x: pass.hs, dim: layer.spec.units };
    });
  } catch (err) {
    passes.forEach((p) => p.release());
    throw err;
  }
  return { top, states: next, passes };
}
