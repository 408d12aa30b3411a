import type { KernelRuntime } from './kernels.ts';
import { takeAndRelease, type LayerInput } from './input-projection.ts';

/**
 * The contract every fused recurrent layer keeps (lstm-layer.ts, gru-layer.ts, rnn-layer.ts), on
 * plain typed arrays so it can be tested and reused without TensorFlow.js. Rows are t·B + b;
 * weights are in the Keras layout of models/cell-spec.ts.
 */
export interface LayerArrays {
  kernel: Float32Array; // [In, blocks·H]
  recurrentKernel: Float32Array; // [H, blocks·H]
  bias: Float32Array; // [blocks·H]
}

export interface LayerGradients extends LayerArrays {
  /** dL/dx [T·B, In] for dense inputs. */
  x?: Float32Array;
  /** dL/d(initial state), by state name, each [B, H]. */
  state0: Record<string, Float32Array>;
}

export interface LayerPass {
  /** h_t for every step, [T·B, H]. */
  hs: Float32Array;
  /** The final state by name (h is the last B rows of hs), each [B, H]. */
  final: Record<string, Float32Array>;
  /** A copy of one recorded quantity (the cell's `quantities`), [T·B, H]. */
  quantity(name: string): Float32Array;
  /** Where that quantity lies in kernel memory (valid until release): T·B rows of H floats. */
  quantityView(name: string): QuantityView;
  /**
   * BPTT from dL/dh_t [T·B, H] and dL/d(final state) by name (missing names count as zero);
   * frees the pass.
   */
  backward(dhs: Float32Array, dFinal: Record<string, Float32Array | undefined>): LayerGradients;
  /** Frees the pass's kernel buffers (idempotent). */
  release(): void;
}

/** T·B rows of H floats in kernel memory starting at byte `at`, `stride` floats apart. */
export interface QuantityView {
  at: number;
  stride: number;
}

export type LayerForward = (rt: KernelRuntime, input: LayerInput, w: LayerArrays, state0: Record<string, Float32Array>, T: number, B: number) => LayerPass;

/** dhs with dL/dh_T added to its last B rows (h_T is those rows). */
export function addFinalH(dhs: Float32Array, dhT: Float32Array | undefined, T: number, B: number, H: number): Float32Array {
  if (!dhT) return dhs;
  const out = dhs.slice();
  const base = (T - 1) * B * H;
  for (let i = 0; i < B * H; i++) out[base + i] = (out[base + i] as number) + (dhT[i] as number);
  return out;
}

/** The hidden size from an initial state, checked to suit the kernels' 4-wide vectors. */
export function hiddenSizeOf(arch: string, h0: Float32Array | undefined, B: number): number {
  const H = (h0?.length ?? 0) / B;
  if (!Number.isInteger(H) || H <= 0 || H % 4 !== 0) throw new Error(`fused ${arch} needs a hidden size that is a multiple of 4 (got ${H})`);
  return H;
}

/**
 * A layer's gradients from kernel memory: the recurrent kernel's (dU, `uFloats` floats) and each
 * initial state's ([B, H] blocks), all freed, with the input side's from Projection.backward.
 */
export function collectGradients(
  rt: KernelRuntime,
  input: { dW: Float32Array; db: Float32Array; dX?: Float32Array },
  dU: number,
  uFloats: number,
  state0: Record<string, number>,
  stateFloats: number,
): LayerGradients {
  return {
    kernel: input.dW,
    recurrentKernel: takeAndRelease(rt, dU, uFloats),
    bias: input.db,
    ...(input.dX ? { x: input.dX } : {}),
    state0: Object.fromEntries(Object.entries(state0).map(([n, at]) => [n, takeAndRelease(rt, at, stateFloats)])),
  };
}
