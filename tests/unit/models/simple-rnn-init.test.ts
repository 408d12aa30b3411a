import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../../../lib/tf/backend.ts';
import { irnnCell, largestEigenvalue, npRnnCell, npRnnRecurrentMatrix } from '../../../models/simple-rnn.ts';

test('power iteration finds the largest eigenvalue of a known symmetric matrix', () => {
  // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
  assert.ok(Math.abs(largestEigenvalue(Float64Array.from([2, 1, 1, 2]), 2) - 3) < 1e-9);
  assert.ok(Math.abs(largestEigenvalue(Float64Array.from([5, 0, 0, 0, 1, 0, 0, 0, 2]), 3) - 5) < 1e-9);
});

test('IRNN starts with the identity recurrent matrix and zero bias', async () => {
  await ensureBackend();
  const w = irnnCell.init(5, 6, 1);
  const u = w.recurrentKernel.arraySync();
  u.forEach((row, i) => row.forEach((v, j) => assert.equal(v, i === j ? 1 : 0)));
  assert.deepEqual(Array.from(w.bias.dataSync()), [0, 0, 0, 0, 0, 0]);
  const std = Math.sqrt(w.kernel.square().mean().dataSync()[0] ?? 0);
  assert.ok(std > 0.0005 && std < 0.002, `input weights std ${std} ~ 0.001`);
});

test('np-RNN recurrent matrix: symmetric, positive definite, largest eigenvalue 1, others below', async () => {
  await ensureBackend();
  const n = 24;
  const m = npRnnRecurrentMatrix(n, 7);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(m[i * n + j], m[j * n + i]);
  const m64 = Float64Array.from(m);
  const top = largestEigenvalue(m64, n);
  assert.ok(Math.abs(top - 1) < 1e-5, `largest eigenvalue ${top}`);
  // Positive definite with spectrum in (0, 1]: I - M is positive semi-definite, and the smallest
  // eigenvalue of M (largest of I - M, subtracted from 1) is positive, since A + I >= I.
  const shifted = Float64Array.from(m64, (v, k) => (k % (n + 1) === 0 ? 1 - v : -v));
  const spread = largestEigenvalue(shifted, n);
  assert.ok(spread < 1 && spread > 0, `1 - smallest eigenvalue = ${spread}`);
  const w = npRnnCell.init(3, n, 7);
  assert.deepEqual(w.recurrentKernel.shape, [n, n]);
});
