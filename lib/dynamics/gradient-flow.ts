import type { CharModel, ModelLayer } from '../../models/char-model.ts';
import { DEFAULT_CELL_OPTIONS } from '../../models/architectures.ts';
import { FUSED_LAYERS, fusedStackInfer, fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { kernels } from '../../models/fused/kernels.ts';
import type { LayerInput } from '../../models/fused/input-projection.ts';

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

export function gradientFlowNorms(model: CharModel, ids: Int32Array, K: number, N: number, layerIndex: number, D: number): FlowNorms {
  const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
  if (why !== null) throw new Error(`gradient flow runs on the fused kernels, which do not cover this model: ${why}`);
  const layer = model.layers[layerIndex] as ModelLayer | undefined;
  if (!layer) throw new Error(`the model has no layer ${layerIndex}`);
  if (ids.length !== K * N) throw new Error(`${ids.length} ids for ${K} steps of ${N} streams`);
  if (!(D >= 1 && D < K)) throw new Error(`distance ${D} must be in 1..${K - 1}`);
  const rt = kernels();
  const H = layer.spec.units;
  const names = [...layer.cell.stateNames];
  const S = names.length * H;

  // The text forward once: the layer's states at every step, and what it reads.
  const zero = model.layers.map((l) => Object.fromEntries(l.cell.stateNames.map((n) => [n, new Float32Array(N * l.spec.units)])));
  const run = fusedStackInfer(model, ids, zero, K, N);
  let states: Record<string, Float32Array>;
  let below: Float32Array | null;
  try {
    states = Object.fromEntries(names.map((q) => [q, run.passes[layerIndex]?.quantity(q) as Float32Array]));
    below = layerIndex > 0 ? Float32Array.from(run.passes[layerIndex - 1]?.hs ?? []) : null;
  } finally {
    run.passes.forEach((p) => p.release());
  }
  const inDim = layerIndex > 0 ? (model.layers[layerIndex - 1]?.spec.units ?? 0) : model.shape.vocabSize;
  const weights = { kernel: layer.kernel.dataSync() as Float32Array, recurrentKernel: layer.recurrentKernel.dataSync() as Float32Array, bias: layer.bias.dataSync() as Float32Array };
  const forward = FUSED_LAYERS[layer.spec.arch](layer.spec.options ?? DEFAULT_CELL_OPTIONS);

  // Cotangent rows n·S + i: e_i for every stream, split by state name ([N·S, H] each).
  const rows = N * S;
  let cot: Record<string, Float32Array> = Object.fromEntries(names.map((q, qi) => {
    const r = new Float32Array(rows * H);
    for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) r[(n * S + qi * H + h) * H + h] = 1;
    return [q, r];
  }));
  const norms = names.map(() => Array.from({ length: D }, () => new Float64Array(N)));
  for (let d = 1; d <= D; d++) {
    const j = K - d; // the step that made s_j from s_{j−1}
    const state0 = Object.fromEntries(names.map((q) => {
      const s = new Float32Array(rows * H);
      if (j > 0) for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) s.set((states[q] as Float32Array).subarray(((j - 1) * N + n) * H, ((j - 1) * N + n + 1) * H), (n * S + i) * H);
      return [q, s];
    }));
    let input: LayerInput;
    if (below) {
      const x = new Float32Array(rows * inDim);
      for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) x.set(below.subarray((j * N + n) * inDim, (j * N + n + 1) * inDim), (n * S + i) * inDim);
      input = { x, dim: inDim };
    } else {
      input = { ids: Int32Array.from({ length: rows }, (_, r) => ids[j * N + Math.floor(r / S)] as number), vocab: inDim };
    }
    const pass = forward(rt, input, weights, state0, 1, rows);
    const grads = pass.backward(cot.h as Float32Array, Object.fromEntries(names.filter((q) => q !== 'h').map((q) => [q, cot[q]])));
    cot = grads.state0;
    // ‖∂q_t/∂q_{t−d}‖²_F: the rows of q's outputs, over q's inputs.
    names.forEach((q, qi) => {
      const c = cot[q] as Float32Array;
      for (let n = 0; n < N; n++) {
        let sum = 0;
        for (let h = 0; h < H; h++) {
          const base = (n * S + qi * H + h) * H;
          for (let k = 0; k < H; k++) sum += (c[base + k] as number) ** 2;
        }
        (norms[qi]?.[d - 1] as Float64Array)[n] = Math.sqrt(sum);
      }
    });
  }
  return { names, norms };
}
