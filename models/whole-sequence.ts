import { tf } from '../lib/tf/backend.ts';
import { layerInputs } from './architectures.ts';
import { zeroState, type CellState } from './cell-spec.ts';
import { layerWeights, type CharModel } from './char-model.ts';

/**
 * A model with backward layers (bidirectional) over whole sequences: layer by layer, each over
 * every step of S sequences at once; a backward layer reads each sequence right to left from a
 * zero state after its last token. Sequences may differ in length (rows past a sequence's end
 * are zeros). Runs on the tfjs cells (the fused kernels step forward only).
 *
 * Output: per layer, per quantity of its cell, [T, S, units] rows t·S + b (T: the longest
 * sequence): the value after reading position t of sequence b.
 */
export function runWholeSequences(model: CharModel, sequences: readonly Int32Array[]): { T: number; quantities: Float32Array[][] } {
  const S = sequences.length;
  const T = Math.max(0, ...sequences.map((s) => s.length));
  const V = model.shape.vocabSize;
  const stack = model.shape.stack;
  const hs: Float32Array[] = [];
  const quantities = model.layers.map((layer, l) => {
    const H = layer.spec.units;
    const inputs = layerInputs(stack, l);
    const inDim = inputs.length === 0 ? V : inputs.reduce((a, i) => a + (model.layers[i]?.spec.units ?? 0), 0);
    const backward = layer.spec.direction === 'backward';
    const names = layer.cell.quantities;
    const out = names.map(() => new Float32Array(T * S * H));
    let state: CellState = zeroState(layer.cell, S, H);
    for (let k = 0; k < T; k++) {
      // Step k reads position k, or (backward) position L_b - 1 - k of each sequence.
      const pos = Int32Array.from(sequences, (seq) => (k < seq.length ? (backward ? seq.length - 1 - k : k) : -1));
      const x = new Float32Array(S * inDim);
      pos.forEach((p, b) => {
        if (p < 0) return;
        if (inputs.length === 0) x[b * inDim + ((sequences[b] as Int32Array)[p] as number)] = 1;
        else {
          let at = b * inDim;
          for (const i of inputs) {
            const Hi = model.layers[i]?.spec.units ?? 0;
            x.set((hs[i] as Float32Array).subarray((p * S + b) * Hi, (p * S + b + 1) * Hi), at);
            at += Hi;
          }
        }
      });
      const prev = state;
      const values: Float32Array[] = [];
      state = tf.tidy(() => {
        const step = layer.cell.step(tf.tensor2d(x, [S, inDim]), prev, layerWeights(model, l));
        names.forEach((n) => values.push(step.quantities[n]?.dataSync() as Float32Array));
        return Object.fromEntries(Object.entries(step.state).map(([n, t]) => [n, tf.keep(t)]));
      });
      tf.dispose(Object.values(prev));
      pos.forEach((p, b) => {
        if (p < 0) return;
        names.forEach((_, qi) => (out[qi] as Float32Array).set((values[qi] as Float32Array).subarray(b * H, (b + 1) * H), (p * S + b) * H));
      });
    }
    tf.dispose(Object.values(state));
    hs.push(out[names.indexOf('h')] as Float32Array);
    return out;
  });
  return { T, quantities };
}
