import { tf } from '../lib/tf/backend.ts';
import { disposeStates, oneHotRows, stackStep, topUnits, zeroStates, type CharModel, type ModelLayer } from './char-model.ts';
import { keepState, type CellState } from './cell-spec.ts';
import { hasBackwardLayer } from './architectures.ts';
import { fusedStackInfer, fusedUnsupportedReason } from './fused/fused-stack.ts';
import { kernels } from './fused/kernels.ts';
import type { LayerPass, QuantityView } from './fused/layer-pass.ts';
import { readView } from './fused/sequence-buffers.ts';

/**
 * Inference over blocks of K timesteps for S parallel streams with the state carried between
 * blocks (recording and evaluation). Runs on the fused kernels when they cover the model, else
 * steps the tfjs cells; both give the same numbers (tests/unit/models/fused). Inputs and outputs
 * are row-major over (k, stream): row k·S + b.
 */
export interface SequenceRunner {
  engine: 'fused' | 'tfjs';
  /**
   * Runs K steps on token ids [K·S]. Returns the top layer's h [K·S, H_top] and, when asked,
   * where every layer's recorded quantities lie in kernel memory (models/fused/kernels.ts), in
   * its cell's order, each K·S rows of that layer's units (quantities[layer][q]); they stay there
   * until the next run or dispose. `read` copies one out.
   */
  run(ids: Int32Array, K: number, withQuantities: boolean): { top: Float32Array; topView: QuantityView; quantities: QuantityView[][] };
  /** Copies `rows` rows of `width` floats (the layer's units) out of kernel memory. */
  read(view: QuantityView, rows: number, width: number): Float32Array;
  /** Zeroes the carried state of the streams flagged 1. */
  resetStreams(which: Uint8Array): void;
  dispose(): void;
}

export function createSequenceRunner(model: CharModel, S: number, engine: 'fused' | 'tfjs' = 'fused'): SequenceRunner {
  if (hasBackwardLayer(model.shape.stack)) throw new Error('a bidirectional model reads whole sequences (models/whole-sequence.ts): it has no step-by-step runner');
  const fused = engine === 'fused' && fusedUnsupportedReason(model.shape, 'feedforward', 0) === null;
  return fused ? fusedRunner(model, S) : tfjsRunner(model, S);
}

function fusedRunner(model: CharModel, S: number): SequenceRunner {
  let states: Record<string, Float32Array>[] = model.layers.map((layer) => Object.fromEntries(layer.cell.stateNames.map((n) => [n, new Float32Array(S * layer.spec.units)])));
  let passes: LayerPass[] = [];
  const releasePasses = (): void => {
    passes.forEach((p) => p.release());
    passes = [];
  };
  return {
    engine: 'fused',
    run(ids, K, withQuantities) {
      releasePasses();
      const out = fusedStackInfer(model, ids, states, K, S);
      states = out.states;
      passes = out.passes;
      const quantities = withQuantities ? passes.map((p, l) => (model.layers[l] as ModelLayer).cell.quantities.map((q) => p.quantityView(q))) : [];
      const last = passes[passes.length - 1];
      if (!last) throw new Error('the model has no layers');
      return { top: out.top, topView: last.quantityView('h'), quantities };
    },
    read: (view, rows, width) => readView(kernels(), view, rows, width),
    resetStreams(which) {
      states.forEach((st, l) => {
        const H = (model.layers[l] as ModelLayer).spec.units;
        for (const arr of Object.values(st)) for (let b = 0; b < S; b++) if (which[b]) arr.fill(0, b * H, (b + 1) * H);
      });
    },
    dispose: releasePasses,
  };
}

function tfjsRunner(model: CharModel, S: number): SequenceRunner {
  const { vocabSize } = model.shape;
  const H = topUnits(model);
  let states: CellState[] = zeroStates(model, S);
  // The last block's quantities, copied into kernel memory so both engines answer alike.
  let uploaded: number[] = [];
  const releaseUploaded = (): void => {
    const rt = kernels();
    uploaded.forEach((at) => rt.release(at));
    uploaded = [];
  };
  return {
    engine: 'tfjs',
    read: (view, rows, width) => readView(kernels(), view, rows, width),
    run(ids, K, withQuantities) {
      releaseUploaded();
      const top = new Float32Array(K * S * H);
      const quantities = withQuantities ? model.layers.map((layer) => layer.cell.quantities.map(() => new Float32Array(K * S * layer.spec.units))) : [];
      for (let k = 0; k < K; k++) {
        const prev = states;
        // Results leave tf.tidy through this variable, not its return value: tidy walks a
        // returned container element by element, which for typed arrays is very slow.
        const out: { states: CellState[] } = { states: prev };
        tf.tidy(() => {
          const step = stackStep(model, oneHotRows(ids.subarray(k * S, (k + 1) * S), vocabSize), prev);
          out.states = step.states.map(keepState);
          top.set(step.top.dataSync(), k * S * H);
          if (withQuantities) {
            step.quantities.forEach((byName, l) => {
              const layer = model.layers[l] as ModelLayer;
              layer.cell.quantities.forEach((q, qi) => {
                const t = byName[q];
                if (!t) throw new Error(`layer ${l} did not produce ${q}`);
                quantities[l]?.[qi]?.set(t.dataSync(), k * S * layer.spec.units);
              });
            });
          }
        });
        disposeStates(prev);
        states = out.states;
      }
      const rt = kernels();
      uploaded = [...quantities.flat(), top].map((q) => rt.upload(q));
      let at = 0;
      return {
        top,
        topView: { at: uploaded[uploaded.length - 1] as number, stride: H },
        quantities: quantities.map((qs, l) => qs.map(() => ({ at: uploaded[at++] as number, stride: (model.layers[l] as ModelLayer).spec.units }))),
      };
    },
    resetStreams(which) {
      const prev = states;
      states = tf.tidy(() => {
        const mask = tf.tensor2d(Float32Array.from(which, (w) => (w ? 0 : 1)), [S, 1]);
        return prev.map((st) => Object.fromEntries(Object.entries(st).map(([n, t]) => [n, tf.keep(tf.mul(t, mask) as tf.Tensor2D)])));
      });
      disposeStates(prev);
    },
    dispose() {
      releaseUploaded();
      disposeStates(states);
    },
  };
}
