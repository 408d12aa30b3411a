import type { CharModel, ModelLayer } from '../char-model.ts';
import { DEFAULT_CELL_OPTIONS } from '../architectures.ts';
import { FUSED_LAYERS, fusedUnsupportedReason } from './fused-stack.ts';
import { kernels } from './kernels.ts';
import type { LayerInput } from './input-projection.ts';
import type { LayerArrays, QuantityView } from './layer-pass.ts';
import { editStep, type CellEdits } from './state-edit.ts';

/**
 * The fused stack with an intervention in one layer (models/fused/state-edit.ts), for B parallel
 * streams over blocks of K steps with the state carried between blocks. The layers below the
 * edited one run each block as one kernel call, as in recording; the edited layer runs the steps
 * of a block one at a time, its output edited after each step where some stream's edits are on;
 * the layers above read its edited output. A block in which no edit is on runs whole.
 */
export interface EditedRunner {
  /**
   * Runs K steps on ids [K·B]; `on` [K·B] flags the steps at which each stream's edits apply
   * (row k·B + b). Returns the top layer's h [K·B, H_top], also in kernel memory (until the
   * next run or dispose) for the read-out kernels.
   */
  run(ids: Int32Array, K: number, on: Uint8Array): { top: Float32Array; topView: QuantityView };
  /** Zeroes the carried state of the streams flagged 1. */
  resetStreams(which: Uint8Array): void;
  dispose(): void;
}

export interface LayerEdit {
  layer: number;
  quantity: string;
  edits: CellEdits;
}

export function createEditedRunner(model: CharModel, B: number, edit: LayerEdit): EditedRunner {
  const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
  if (why !== null) throw new Error(`interventions run on the fused kernels, which do not cover this model: ${why}`);
  const target = model.layers[edit.layer];
  if (!target) throw new Error(`the model has no layer ${edit.layer}`);
  const rt = kernels();
  const weights: LayerArrays[] = model.layers.map((layer) => ({
    kernel: layer.kernel.dataSync() as Float32Array,
    recurrentKernel: layer.recurrentKernel.dataSync() as Float32Array,
    bias: layer.bias.dataSync() as Float32Array,
  }));
  const forward = model.layers.map((layer) => FUSED_LAYERS[layer.spec.arch](layer.spec.options ?? DEFAULT_CELL_OPTIONS));
  let states: Record<string, Float32Array>[] = model.layers.map((layer) => Object.fromEntries(layer.cell.stateNames.map((n) => [n, new Float32Array(B * layer.spec.units)])));
  let topAt: number | null = null;
  const releaseTop = (): void => {
    if (topAt !== null) rt.release(topAt);
    topAt = null;
  };

  /** One layer over the whole block: its output [K·B, H], its state carried on. */
  const wholeBlock = (l: number, input: LayerInput, K: number): Float32Array => {
    const pass = (forward[l] as (typeof forward)[number])(rt, input, weights[l] as LayerArrays, states[l] ?? {}, K, B);
    try {
      states[l] = pass.final;
      return pass.hs;
    } finally {
      pass.release();
    }
  };

  /** The edited layer step by step, editing where `on` says. */
  const steppedBlock = (input: LayerInput, K: number, on: Uint8Array): Float32Array => {
    const l = edit.layer;
    const { arch, units: H } = target.spec;
    const out = new Float32Array(K * B * H);
    for (let k = 0; k < K; k++) {
      const stepOn = on.subarray(k * B, (k + 1) * B);
      const stepInput: LayerInput = 'ids' in input ? { ids: input.ids.subarray(k * B, (k + 1) * B), vocab: input.vocab } : { x: input.x.subarray(k * B * input.dim, (k + 1) * B * input.dim), dim: input.dim };
      const prev = states[l] ?? {};
      const pass = (forward[l] as (typeof forward)[number])(rt, stepInput, weights[l] as LayerArrays, prev, 1, B);
      try {
        const next = { ...pass.final, h: pass.final.h?.slice() ?? new Float32Array(B * H) };
        if (stepOn.some((v) => v)) editStep(arch, edit.quantity, H, edit.edits, stepOn, { prev, next, quantity: (name) => pass.quantity(name) });
        states[l] = next;
        out.set(next.h, k * B * H);
      } finally {
        pass.release();
      }
    }
    return out;
  };

  return {
    run(ids, K, on) {
      if (ids.length !== K * B || on.length !== K * B) throw new Error(`${ids.length} ids and ${on.length} flags for ${K} steps of ${B} streams`);
      releaseTop();
      const edited = on.some((v) => v);
      let input: LayerInput = { ids, vocab: model.shape.vocabSize };
      let top: Float32Array = new Float32Array(0);
      model.layers.forEach((layer: ModelLayer, l) => {
        top = edited && l === edit.layer ? steppedBlock(input, K, on) : wholeBlock(l, input, K);
        input = { x: top, dim: layer.spec.units };
      });
      topAt = rt.upload(top);
      const H = model.layers[model.layers.length - 1]?.spec.units ?? 0;
      return { top, topView: { at: topAt, stride: H } };
    },
    resetStreams(which) {
      states.forEach((st, l) => {
        const H = (model.layers[l] as ModelLayer).spec.units;
        for (const arr of Object.values(st)) for (let b = 0; b < B; b++) if (which[b]) arr.fill(0, b * H, (b + 1) * H);
      });
    },
    dispose() {
      releaseTop();
      states = [];
    },
  };
}
