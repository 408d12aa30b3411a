import { tf } from '../lib/tf/backend.ts';
import { disposeStates, oneHotRows, stackStep, zeroStates, type CharModel } from './char-model.ts';
import { keepState, type CellState } from './cell-spec.ts';
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
   * Runs K steps on token ids [K·S]. Returns the top layer's h [K·S, H] and, when asked, where
   * every layer's recorded quantities lie in kernel memory (models/fused/kernels.ts), in the
   * cell's order, each K·S rows of H floats (quantities[layer][q]); they stay there until the
   * next run or dispose. `read` copies one out.
   */
  run(ids: Int32Array, K: number, withQuantities: boolean): { top: Float32Array; topView: QuantityView; quantities: QuantityView[][] };
  read(view: QuantityView, rows: number): Float32Array;
  /** Zeroes the carried state of the streams flagged 1. */
  resetStreams(which: Uint8Array): void;
  dispose(): void;
}

export function createSequenceRunner(model: CharModel, S: number, engine: 'fused' | 'tfjs' = 'fused'): SequenceRunner {
  const fused = engine === 'fused' && fusedUnsupportedReason(model.shape, 'feedforward', 0) === null;
  return fused ? fusedRunner(model, S) : tfjsRunner(model, S);
}

function fusedRunner(model: CharModel, S: number): SequenceRunner {
  const { hidden: H } = model.shape;
  const names = model.cell.stateNames;
  let states: Record<string, Float32Array>[] = model.layers.map(() => Object.fromEntries(names.map((n) => [n, new Float32Array(S * H)])));
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
      const quantities = withQuantities ? passes.map((p) => model.cell.quantities.map((q) => p.quantityView(q))) : [];
      const last = passes[passes.length - 1];
      if (!last) throw new Error('the model has no layers');
      return { top: out.top, topView: last.quantityView('h'), quantities };
    },
    read: (view, rows) => readView(kernels(), view, rows, H),
    resetStreams(which) {
      for (const st of states) for (const arr of Object.values(st)) for (let b = 0; b < S; b++) if (which[b]) arr.fill(0, b * H, (b + 1) * H);
    },
    dispose: releasePasses,
  };
}

function tfjsRunner(model: CharModel, S: number): SequenceRunner {
  const { hidden: H, vocabSize, layers } = model.shape;
  const names = model.cell.quantities;
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
    read: (view, rows) => readView(kernels(), view, rows, H),
    run(ids, K, withQuantities) {
      releaseUploaded();
      const top = new Float32Array(K * S * H);
      const quantities = withQuantities ? Array.from({ length: layers }, () => names.map(() => new Float32Array(K * S * H))) : [];
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
              names.forEach((q, qi) => {
                const t = byName[q];
                if (!t) throw new Error(`layer ${l} did not produce ${q}`);
                quantities[l]?.[qi]?.set(t.dataSync(), k * S * H);
              });
            });
          }
        });
        disposeStates(prev);
        states = out.states;
      }
      const rt = kernels();
      uploaded = [...quantities.flat(), top].map((q) => rt.upload(q));
      return {
        top,
        topView: { at: uploaded[uploaded.length - 1] as number, stride: H },
        quantities: quantities.map((qs, l) => qs.map((_, qi) => ({ at: uploaded[l * names.length + qi] as number, stride: H }))),
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
