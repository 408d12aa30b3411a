import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../../lib/tf/backend.ts';
import { createCharModel, type CharModel } from '../../../../models/char-model.ts';
import type { Architecture } from '../../../../models/architectures.ts';
import { fusedStackInfer } from '../../../../models/fused/fused-stack.ts';
import { createEditedRunner } from '../../../../models/fused/edited-runner.ts';
import { NO_EDITS, type CellEdits } from '../../../../models/fused/state-edit.ts';

before(ensureBackend);

const V = 12;
const T = 9;
const B = 3;

/** A model with weights of one scale for every cell kind (an IRNN's own init is 0.001 on the input). */
function model(arch: Architecture, layers = 2, hidden = 8): CharModel {
  const m = createCharModel({ arch, layers, hidden, vocabSize: V }, 7);
  m.layers.forEach((layer, l) => {
    for (const [k, name] of (['kernel', 'recurrentKernel', 'bias'] as const).entries()) {
      const v = layer[name];
      v.assign(tf.tensor(Float32Array.from({ length: v.size }, (_, i) => 0.6 * Math.sin(1.7 * i + 3.1 * k + l)), v.shape));
    }
  });
  return m;
}

const ids = Int32Array.from({ length: T * B }, (_, k) => (k * 5 + 3) % V);

function clean(m: CharModel): Float32Array {
  const states = m.layers.map((l) => Object.fromEntries(l.cell.stateNames.map((n) => [n, new Float32Array(B * l.spec.units)])));
  const out = fusedStackInfer(m, ids, states, T, B);
  out.passes.forEach((p) => p.release());
  return out.top;
}

/** Every stream's `cells` edited alike. */
function edits(cells: number[], scale: number, shift: number): CellEdits {
  const pairs = Array.from({ length: B }, (_, b) => cells.map((c) => [b, c] as const)).flat();
  return {
    streams: Int32Array.from(pairs, ([b]) => b),
    cells: Int32Array.from(pairs, ([, c]) => c),
    scale: new Float32Array(pairs.length).fill(scale),
    shift: new Float32Array(pairs.length).fill(shift),
  };
}

/** Runs the edited runner over the sequence in blocks of `K` (the state carried between them). */
function edited(m: CharModel, layer: number, quantity: string, e: CellEdits, on: Uint8Array, K = T): Float32Array {
  const runner = createEditedRunner(m, B, { layer, quantity, edits: e });
  const H = m.layers[m.layers.length - 1]?.spec.units ?? 0;
  const out = new Float32Array(T * B * H);
  try {
    for (let k = 0; k < T; k += K) {
      const n = Math.min(K, T - k);
      out.set(runner.run(ids.subarray(k * B, (k + n) * B), n, on.subarray(k * B, (k + n) * B)).top, k * B * H);
    }
  } finally {
    runner.dispose();
  }
  return out;
}

function close(a: Float32Array, b: Float32Array, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  assert.ok(worst <= tol, `${what}: differs by ${worst}`);
}

/** The edit did something: the result is not the unedited model's. */
function changed(a: Float32Array, m: CharModel, what: string): Float32Array {
  const base = clean(m);
  assert.ok(a.some((v, i) => Math.abs(v - (base[i] as number)) > 1e-3), `${what} changes the output`);
  return a;
}

/** A copy of `m` with some weights changed by `edit(layer, name, values)`. */
function modified(m: CharModel, edit: (layer: number, name: 'kernel' | 'recurrentKernel' | 'bias', v: Float32Array, H: number) => void): CharModel {
  const copy = createCharModel(m.shape, 1);
  copy.layers.forEach((layer, l) => {
    for (const name of ['kernel', 'recurrentKernel', 'bias'] as const) {
      const v = Float32Array.from(m.layers[l]?.[name].dataSync() as Float32Array);
      edit(l, name, v, layer.spec.units);
      layer[name].assign(tf.tensor(v, layer[name].shape));
    }
  });
  return copy;
}

/**
 * Zeroes cell j's outgoing weights in layer l: its row of U and of the next layer's kernel (both
 * have one row per cell of layer l; every layer here has 8).
 */
function silence(l: number, j: number) {
  return (layer: number, name: string, v: Float32Array): void => {
    if (!((layer === l && name === 'recurrentKernel') || (layer === l + 1 && name === 'kernel'))) return;
    const cols = v.length / 8;
    for (let c = 0; c < cols; c++) v[j * cols + c] = 0;
  };
}

test('an intervention on nothing, or switched off everywhere, changes nothing: bit for bit the fused stack, in one block or several', () => {
  const m = model('lstm');
  const want = clean(m);
  assert.deepEqual(Array.from(edited(m, 0, 'c', edits([2], 0, 0), new Uint8Array(T * B))), Array.from(want), 'edits off');
  assert.deepEqual(Array.from(edited(m, 1, 'h', NO_EDITS, new Uint8Array(T * B).fill(1), 4)), Array.from(want), 'on, but no cells, stepped in blocks of 4');
  assert.deepEqual(Array.from(edited(m, 0, 'h', edits([1, 5], 1, 0), new Uint8Array(T * B).fill(1), 2)), Array.from(want), 'h · 1 + 0');
});

for (const arch of ['lstm', 'gru', 'rnn', 'irnn'] as const) {
  test(`${arch}: zeroing h of a cell at every step equals the model with that cell's outgoing weights zeroed`, () => {
    const m = model(arch);
    const byHand = modified(m, silence(0, 3));
    close(changed(edited(m, 0, 'h', edits([3], 0, 0), new Uint8Array(T * B).fill(1), 4), m, arch), clean(byHand), 1e-5, arch);
  });
}

test('LSTM: zeroing c equals silencing the cell too; zeroing the update g equals zeroing its g weights; GRU: z held at 1 keeps h at 0', () => {
  const lstm = model('lstm');
  close(changed(edited(lstm, 0, 'c', edits([3], 0, 0), new Uint8Array(T * B).fill(1)), lstm, 'c = 0'), clean(modified(lstm, silence(0, 3))), 1e-5, 'c = 0');
  // g = tanh(x W_g + h U_g + b_g) is 0 when its column (block 2 of i, f, g, o) is 0.
  const noG = modified(lstm, (layer, _name, v, H) => {
    if (layer !== 1) return;
    const cols = 4 * H;
    for (let r = 0; r < v.length / cols; r++) v[r * cols + 2 * H + 5] = 0;
  });
  close(changed(edited(lstm, 1, 'g', edits([5], 0, 0), new Uint8Array(T * B).fill(1), 3), lstm, 'g = 0'), clean(noG), 1e-5, 'g = 0');
  const gru = model('gru');
  close(changed(edited(gru, 0, 'z', edits([2], 0, 1), new Uint8Array(T * B).fill(1)), gru, 'z = 1'), clean(modified(gru, silence(0, 2))), 1e-5, 'z = 1');
});

/** A one-layer LSTM in float64, step by step, with c of `cell` scaled where `on` says (Keras gate order i, f, g, o). */
function referenceLstm(m: CharModel, cell: number, factor: number, on: Uint8Array): Float64Array {
  const layer = m.layers[0];
  if (!layer) throw new Error('no layer');
  const H = layer.spec.units;
  const W = layer.kernel.dataSync();
  const U = layer.recurrentKernel.dataSync();
  const bias = layer.bias.dataSync();
  const sig = (x: number): number => 1 / (1 + Math.exp(-x));
  const h = new Float64Array(B * H);
  const c = new Float64Array(B * H);
  const out = new Float64Array(T * B * H);
  for (let t = 0; t < T; t++) {
    const hPrev = h.slice();
    for (let b = 0; b < B; b++) {
      const x = ids[t * B + b] as number;
      for (let j = 0; j < H; j++) {
        const pre = (g: number): number => {
          let s = (bias[g * H + j] as number) + (W[x * 4 * H + g * H + j] as number);
          for (let k = 0; k < H; k++) s += (hPrev[b * H + k] as number) * (U[k * 4 * H + g * H + j] as number);
          return s;
        };
        const k = b * H + j;
        c[k] = sig(pre(1)) * (c[k] as number) + sig(pre(0)) * Math.tanh(pre(2));
        if (j === cell && on[t * B + b]) c[k] = factor * (c[k] as number);
        h[k] = sig(pre(3)) * Math.tanh(c[k] as number);
        out[t * B * H + k] = h[k] as number;
      }
    }
  }
  return out;
}

test('LSTM: c scaled by 3 at some steps of some streams equals a float64 LSTM written out step by step with the same edit', () => {
  const m = model('lstm', 1);
  const on = Uint8Array.from({ length: T * B }, (_, k) => (k % 4 === 1 || k % 7 === 0 ? 1 : 0));
  const want = Float32Array.from(referenceLstm(m, 6, 3, on));
  close(changed(edited(m, 0, 'c', edits([6], 3, 0), on, 5), m, 'c · 3'), want, 2e-5, 'c · 3');
  close(clean(m), Float32Array.from(referenceLstm(m, 6, 1, on)), 2e-5, 'and the reference without the edit is the model');
});
