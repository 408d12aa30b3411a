import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { rhnCell } from '../../../models/rhn.ts';
import { quantitiesFor } from '../../../models/architectures.ts';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));

/** Independent float64 reference of one RHN timestep, straight from Zilly et al.'s equations. */
function reference(x: number[][], s0: number[][], W: number[][], R: number[][], b: number[], L: number, coupled: boolean) {
  const G = coupled ? 2 : 3;
  const H = s0[0]?.length ?? 0;
  const out: { s: number[][]; t: number[][][]; c: number[][][] } = { s: [], t: [], c: [] };
  let s = s0.map((r) => [...r]);
  for (let k = 0; k < L; k++) {
    const tk: number[][] = [];
    const ck: number[][] = [];
    s = s.map((row, bi) => {
      const pre = (j: number): number => {
        let v = b[k * G * H + j] ?? 0;
        for (let i = 0; i < H; i++) v += (row[i] ?? 0) * (R[i]?.[k * G * H + j] ?? 0);
        if (k === 0) for (let i = 0; i < (x[bi]?.length ?? 0); i++) v += (x[bi]?.[i] ?? 0) * (W[i]?.[j] ?? 0);
        return v;
      };
      const h = Array.from({ length: H }, (_, j) => Math.tanh(pre(j)));
      const t = Array.from({ length: H }, (_, j) => sig(pre(H + j)));
      const c = coupled ? t.map((v) => 1 - v) : Array.from({ length: H }, (_, j) => sig(pre(2 * H + j)));
      tk.push(t);
      ck.push(c);
      return row.map((sv, j) => (h[j] ?? 0) * (t[j] ?? 0) + sv * (c[j] ?? 0));
    });
    out.t.push(tk);
    out.c.push(ck);
  }
  out.s = s;
  return out;
}

for (const coupled of [true, false]) {
  test(`RHN step (depth 3, ${coupled ? 'coupled' : 'uncoupled'}) equals an independent float64 reference`, async () => {
    await ensureBackend();
    const options = { depth: 3, coupled, spectralRadius: 1, norm: 'none' as const };
    const cell = rhnCell(options);
    assert.deepEqual(cell.quantities, quantitiesFor('rhn', options));
    const w = cell.init(4, 5, 3);
    // Make the biases non-trivial too.
    const bias = tf.randomNormal(w.bias.shape, 0, 0.5, 'float32', 9) as tf.Tensor1D;
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 4) as tf.Tensor2D;
    const s0 = tf.randomNormal([2, 5], 0, 0.5, 'float32', 5) as tf.Tensor2D;
    const out = cell.step(x, { h: s0 }, { ...w, bias });
    const ref = reference(x.arraySync(), s0.arraySync(), w.kernel.arraySync(), w.recurrentKernel.arraySync(), Array.from(bias.dataSync()), 3, coupled);
    const close = (a: tf.Tensor, b: number[][], what: string): void => {
      const got = a.arraySync() as number[][];
      got.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - (b[i]?.[j] ?? NaN)) < 1e-5, `${what}[${i}][${j}] ${v} vs ${b[i]?.[j]}`)));
    };
    close(out.state.h as tf.Tensor, ref.s, 'h');
    for (let k = 0; k < 3; k++) {
      close(out.quantities[`t${k}`] as tf.Tensor, ref.t[k] ?? [], `t${k}`);
      if (!coupled) close(out.quantities[`c${k}`] as tf.Tensor, ref.c[k] ?? [], `c${k}`);
    }
    assert.equal('c0' in out.quantities, !coupled);
  });
}

test('RHN transform-gate biases start at -2 (carry first), candidate biases at 0', async () => {
  await ensureBackend();
  const w = rhnCell({ depth: 2, coupled: true, spectralRadius: 1, norm: 'none' }).init(3, 4, 1);
  assert.deepEqual(Array.from(w.bias.dataSync()), [0, 0, 0, 0, -2, -2, -2, -2, 0, 0, 0, 0, -2, -2, -2, -2]);
  assert.deepEqual(w.recurrentKernel.shape, [4, 2 * 2 * 4]);
});
