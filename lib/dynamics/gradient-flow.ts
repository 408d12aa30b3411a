import type { CharModel, ModelLayer } from '../../models/char-model.ts';
import { DEFAULT_CELL_OPTIONS } from '../../models/architectures.ts';
import { FUSED_LAYERS, fusedStackInfer, fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { kernels } from '../../models/fused/kernels.ts';
import type { LayerInput } from '../../models/fused/input-projection.ts';
import type { LayerArrays, LayerForward } from '../../models/fused/layer-pass.ts';

/**
 * How far back gradients reach (issue 13, the lecture's vanishing gradient): for a layer and
 * its state quantities (h, and an LSTM's c), the Frobenius norm of ∂q_t/∂q_{t−d} for d = 1..D at
 * the last step t of N streams of real text, the layer's input held as the text gives it.
 *
 * Backpropagation through time does exactly this product of step Jacobians: here every output
 * unit of every stream is one row of the batch (N · S rows, S the state size), started as a unit
 * vector at step t and carried back one step at a time by the fused kernels' backward pass of a
 * one-step layer, so that after d steps row i holds e_iᵀ ∂s_t/∂s_{t−d}.
 */
export interface FlowNorms {
  /** The layer's state quantities, in the order of `norms`. */
  names: string[];
  /** norms[q][d − 1][n]: ‖∂q_t/∂q_{t−d}‖_F for stream n. */
  norms: Float64Array[][];
}

/**
 * Backpropagation of a layer's state through the steps of N streams: each output unit of each
 * stream one row of the batch, carried back one step at a time (see above).
 */
export class StateBackprop {
  readonly names: string[];
  readonly H: number;
  /** State size: the names' units together. */
  readonly S: number;
  private readonly states: Record<string, Float32Array>;
  private readonly below: Float32Array | null;
  private readonly inDim: number;
  private readonly forward: LayerForward;
  private readonly weights: LayerArrays;
  /** Cotangent rows n·S + i, by state name ([N·S, H] each). */
  private cot: Record<string, Float32Array>;
  private step: number;

  constructor(private readonly model: CharModel, private readonly ids: Int32Array, private readonly K: number, private readonly N: number, layerIndex: number) {
    const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
    if (why !== null) throw new Error(`the state Jacobians run on the fused kernels, which do not cover this model: ${why}`);
    const layer = model.layers[layerIndex] as ModelLayer | undefined;
    if (!layer) throw new Error(`the model has no layer ${layerIndex}`);
    if (ids.length !== K * N) throw new Error(`${ids.length} ids for ${K} steps of ${N} streams`);
    this.H = layer.spec.units;
    this.names = [...layer.cell.stateNames];
    this.S = this.names.length * this.H;
    // The text forward once: the layer's states at every step, and what it reads.
    const zero = model.layers.map((l) => Object.fromEntries(l.cell.stateNames.map((n) => [n, new Float32Array(N * l.spec.units)])));
    const run = fusedStackInfer(model, ids, zero, K, N);
    try {
      this.states = Object.fromEntries(this.names.map((q) => [q, run.passes[layerIndex]?.quantity(q) as Float32Array]));
      this.below = layerIndex > 0 ? Float32Array.from(run.passes[layerIndex - 1]?.hs ?? []) : null;
    } finally {
      run.passes.forEach((p) => p.release());
    }
    this.inDim = layerIndex > 0 ? (model.layers[layerIndex - 1]?.spec.units ?? 0) : model.shape.vocabSize;
    this.weights = { kernel: layer.kernel.dataSync() as Float32Array, recurrentKernel: layer.recurrentKernel.dataSync() as Float32Array, bias: layer.bias.dataSync() as Float32Array };
    this.forward = FUSED_LAYERS[layer.spec.arch](layer.spec.options ?? DEFAULT_CELL_OPTIONS);
    const { H, S } = this;
    this.cot = Object.fromEntries(this.names.map((q, qi) => {
      const r = new Float32Array(N * S * H);
      for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) r[(n * S + qi * H + h) * H + h] = 1;
      return [q, r];
    }));
    this.step = K;
  }

  /** Steps back once: afterwards row n·S + i holds e_iᵀ ∂s_{K−1}/∂s_{j−1} for the step j taken. */
  back(): void {
    const { N, S, H, names, inDim } = this;
    const j = --this.step;
    if (j < 1) throw new Error('stepped back past the first state');
    const rows = N * S;
    const state0 = Object.fromEntries(names.map((q) => {
      const s = new Float32Array(rows * H);
      for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) s.set((this.states[q] as Float32Array).subarray(((j - 1) * N + n) * H, ((j - 1) * N + n + 1) * H), (n * S + i) * H);
      return [q, s];
    }));
    let input: LayerInput;
    if (this.below) {
      const x = new Float32Array(rows * inDim);
      for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) x.set(this.below.subarray((j * N + n) * inDim, (j * N + n + 1) * inDim), (n * S + i) * inDim);
      input = { x, dim: inDim };
    } else {
      input = { ids: Int32Array.from({ length: rows }, (_, r) => this.ids[j * N + Math.floor(r / S)] as number), vocab: inDim };
    }
    const pass = this.forward(kernels(), input, this.weights, state0, 1, rows);
    this.cot = pass.backward(this.cot.h as Float32Array, Object.fromEntries(names.filter((q) => q !== 'h').map((q) => [q, this.cot[q]]))).state0;
  }

  /** ‖∂q_t/∂q_{j}‖_F of stream n at the current step: q's output rows over q's inputs. */
  blockNorm(n: number, q: string): number {
    const { S, H } = this;
    const qi = this.names.indexOf(q);
    const c = this.cot[q] as Float32Array;
    let sum = 0;
    for (let h = 0; h < H; h++) {
      const base = (n * S + qi * H + h) * H;
      for (let k = 0; k < H; k++) sum += (c[base + k] as number) ** 2;
    }
    return Math.sqrt(sum);
  }

  /** Stream n's whole Jacobian at the current step, S×S row-major over the names' units in order. */
  jacobian(n: number): Float64Array {
    const { S, H, names } = this;
    const out = new Float64Array(S * S);
    for (let i = 0; i < S; i++) {
      for (const [qi, q] of names.entries()) {
        const c = this.cot[q] as Float32Array;
        for (let k = 0; k < H; k++) out[i * S + qi * H + k] = c[(n * S + i) * H + k] as number;
      }
    }
    return out;
  }
}

export function gradientFlowNorms(model: CharModel, ids: Int32Array, K: number, N: number, layerIndex: number, D: number): FlowNorms {
  if (!(D >= 1 && D < K)) throw new Error(`distance ${D} must be in 1..${K - 1}`);
  const bp = new StateBackprop(model, ids, K, N, layerIndex);
  const norms = bp.names.map(() => Array.from({ length: D }, () => new Float64Array(N)));
  for (let d = 1; d <= D; d++) {
    bp.back();
    bp.names.forEach((q, qi) => {
      for (let n = 0; n < N; n++) (norms[qi]?.[d - 1] as Float64Array)[n] = bp.blockNorm(n, q);
    });
  }
  return { names: bp.names, norms };
}
