import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../../../lib/tf/backend.ts';
import { createCharModel, disposeModel, type Architecture } from '../../../models/char-model.ts';
import { saliencyBatch, saliencyLogProb } from '../../../models/saliency.ts';

function randomIds(n: number, V: number, seed: number): Int32Array {
  let s = seed;
  return Int32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % V;
  });
}

function oneHot(ids: Int32Array, starts: number[], W: number, V: number): Float32Array {
  const S = starts.length;
  const x = new Float32Array(W * S * V);
  for (let k = 0; k < W; k++) for (let b = 0; b < S; b++) x[(k * S + b) * V + (ids[(starts[b] ?? 0) + k] ?? 0)] = 1;
  return x;
}

for (const arch of ['lstm', 'gru', 'rnn'] as Architecture[]) {
  test(`${arch}: saliency gradients equal central finite differences of log p(target)`, async () => {
    await ensureBackend();
    const V = 6;
    const W = 7;
    const model = createCharModel({ arch, layers: 2, hidden: 5, vocabSize: V }, 3);
    try {
      const ids = randomIds(60, V, 11);
      const starts = [20, 33, 2];
      const targets = starts.map((s) => ids[s + W] ?? 0);
      const sal = saliencyBatch(model, ids, starts, W, targets, { burnIn: 10 });
      const x = oneHot(ids, starts, W, V);
      const base = saliencyLogProb(model, ids, starts, W, targets, x, 10);
      for (let b = 0; b < starts.length; b++) assert.ok(Math.abs((sal.logProb[b] ?? 0) - (base[b] ?? 0)) < 1e-5);
      const eps = 1e-2;
      for (let b = 0; b < starts.length; b++) {
        for (const k of [0, 3, W - 1]) {
          // Full gradient vector of input (k, b) by central differences, one component at a time.
          const g: number[] = [];
          for (let v = 0; v < V; v++) {
            const at = (k * starts.length + b) * V + v;
            const up = Float32Array.from(x);
            const down = Float32Array.from(x);
            up[at] = (up[at] ?? 0) + eps;
            down[at] = (down[at] ?? 0) - eps;
            const fu = saliencyLogProb(model, ids, starts, W, targets, up, 10)[b] ?? 0;
            const fd = saliencyLogProb(model, ids, starts, W, targets, down, 10)[b] ?? 0;
            g.push((fu - fd) / (2 * eps));
          }
          const norm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
          const gxi = g[ids[(starts[b] ?? 0) + k] ?? 0] ?? 0;
          const gotNorm = sal.grad[b * W + k] ?? 0;
          const gotGxi = sal.gradXInput[b * W + k] ?? 0;
          assert.ok(Math.abs(gotNorm - norm) <= 2e-3 + 2e-2 * norm, `${arch} stream ${b} input ${k}: norm ${gotNorm} vs FD ${norm}`);
          assert.ok(Math.abs(gotGxi - gxi) <= 2e-3 + 2e-2 * Math.abs(gxi), `${arch} stream ${b} input ${k}: grad·x ${gotGxi} vs FD ${gxi}`);
        }
      }
    } finally {
      disposeModel(model);
    }
  });
}

test('saliency streams are independent: a batch equals each window alone', async () => {
  await ensureBackend();
  const V = 5;
  const W = 6;
  const model = createCharModel({ arch: 'lstm', layers: 1, hidden: 4, vocabSize: V }, 8);
  try {
    const ids = randomIds(50, V, 5);
    const starts = [0, 9, 30];
    const targets = starts.map((s) => ids[s + W] ?? 0);
    const all = saliencyBatch(model, ids, starts, W, targets, { burnIn: 12 });
    starts.forEach((s, b) => {
      const one = saliencyBatch(model, ids, [s], W, [targets[b] ?? 0], { burnIn: 12 });
      for (let k = 0; k < W; k++) assert.ok(Math.abs((one.grad[k] ?? 0) - (all.grad[b * W + k] ?? 0)) < 1e-5);
    });
    // A one-step window (the corpus's first prediction) works too, and is the last step of a longer one's input.
    const first = saliencyBatch(model, ids, [0], 1, [ids[1] ?? 0], { burnIn: 0 });
    assert.equal(first.grad.length, 1);
    assert.ok(Number.isFinite(first.grad[0]) && (first.grad[0] ?? 0) > 0);
    // A window at the corpus start has no burn-in: its entering state is zero, whatever burnIn says.
    const fromZero = saliencyBatch(model, ids, [0], W, [targets[0] ?? 0], { burnIn: 0 });
    for (let k = 0; k < W; k++) assert.ok(Math.abs((fromZero.grad[k] ?? 0) - (all.grad[k] ?? 0)) < 1e-5);
  } finally {
    disposeModel(model);
  }
});
