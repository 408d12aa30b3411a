import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { findFixedPoints, principalPlane, project } from '../../../lib/dynamics/fixed-points.ts';
import { eigenvalues } from '../../../lib/dynamics/spectrum.ts';
import { createCharModel, type CharModel } from '../../../models/char-model.ts';
import type { Architecture } from '../../../models/architectures.ts';

before(ensureBackend);

/** A one-layer RNN of 4 units over 3 tokens: h' = act(x W + h U + b), with U given as the map on column vectors (A = Uᵀ). */
function rnn(arch: Architecture, A: number[][], inputRow: number[]): CharModel {
  const m = createCharModel({ arch, layers: 1, hidden: 4, vocabSize: 3 }, 1);
  const layer = m.layers[0];
  if (!layer) throw new Error('no layer');
  const U = Float32Array.from({ length: 16 }, (_, k) => A[k % 4]?.[Math.floor(k / 4)] ?? 0); // U[j][i] = A[i][j]
  const W = Float32Array.from({ length: 12 }, (_, k) => (Math.floor(k / 4) === 1 ? (inputRow[k % 4] ?? 0) : 0)); // token 1 drives u
  layer.recurrentKernel.assign(tf.tensor2d(U, [4, 4]));
  layer.kernel.assign(tf.tensor2d(W, [3, 4]));
  layer.bias.assign(tf.zeros([4]));
  return m;
}

/** Solves (I − A) s = u by Gaussian elimination. */
function linearFixedPoint(A: number[][], u: number[]): number[] {
  const n = u.length;
  const M = A.map((row, i) => [...row.map((a, j) => (i === j ? 1 : 0) - a), u[i] as number]);
  for (let c = 0; c < n; c++) {
    const p = M[c] as number[];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = M[r] as number[];
      const f = (row[c] as number) / (p[c] as number);
      for (let k = c; k <= n; k++) row[k] = (row[k] as number) - f * (p[k] as number);
    }
  }
  return M.map((row, i) => (row[n] as number) / (row[i] as number));
}

test('a linear RNN (a ReLU RNN where the fixed point is positive) has its analytic fixed point (I − A)⁻¹u, stable with A\'s eigenvalues', () => {
  const A = [[0.5, 0.1, 0, 0], [0, 0.4, 0.1, 0], [0, 0, 0.3, 0.1], [0.1, 0, 0, 0.2]];
  const u = [1, 0.5, 0.8, 0.3];
  const m = rnn('irnn', A, u);
  const starts = Float64Array.from({ length: 8 * 4 }, (_, k) => 0.5 + 0.4 * Math.sin(k * 2.3));
  const points = findFixedPoints(m, 1, starts, 8, { iterations: 1000, learningRate: 0.02, tolerance: 1e-12 });
  assert.equal(points.length, 1, 'one fixed point, found from every start');
  const want = linearFixedPoint(A, u);
  points[0]?.state.forEach((v, i) => assert.ok(Math.abs(v - (want[i] as number)) < 1e-5, `s[${i}] ${v} vs ${want[i]}`));
  assert.equal(points[0]?.stable, true);
  const wantEig = eigenvalues(A.flat(), 4).map(([re, im]) => Math.hypot(re, im)).sort();
  const gotEig = (points[0]?.eigenvalues ?? []).map(([re, im]) => Math.hypot(re, im)).sort();
  gotEig.forEach((v, i) => assert.ok(Math.abs(v - (wantEig[i] as number)) < 1e-4, `|λ| ${v} vs ${wantEig[i]}`));
});

test('a tanh RNN with U = diag(2, 2, 0, 0) has four stable attractors (±h*, ±h*, 0, 0), h* = tanh(2h*), and an unstable point at 0', () => {
  const m = rnn('rnn', [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [0, 0, 0, 0]);
  let h = 1;
  for (let i = 0; i < 200; i++) h = Math.tanh(2 * h);
  // Starts in each quadrant (as states visited near the attractors would be), and at the origin.
  const starts = Float64Array.from([0.7, 0.8, 0.2, -0.1, -0.6, 0.7, 0, 0.3, 0.8, -0.7, -0.3, 0, -0.7, -0.6, 0.1, 0.1, 0, 0, 0, 0]);
  const points = findFixedPoints(m, 0, starts, 5, { iterations: 1000, learningRate: 0.02, tolerance: 1e-12 });
  const stable = points.filter((p) => p.stable);
  assert.equal(stable.length, 4);
  const signs = new Set(stable.map((p) => `${Math.sign(p.state[0] as number)}${Math.sign(p.state[1] as number)}`));
  assert.equal(signs.size, 4, 'one per quadrant');
  for (const p of stable) {
    assert.ok(Math.abs(Math.abs(p.state[0] as number) - h) < 1e-5 && Math.abs(Math.abs(p.state[1] as number) - h) < 1e-5, `${Array.from(p.state)}`);
    assert.ok(Math.abs(p.spectralRadius - 2 * (1 - h * h)) < 1e-4, `radius ${p.spectralRadius} vs ${2 * (1 - h * h)}`);
  }
  const origin = points.find((p) => !p.stable);
  assert.ok(origin && Math.hypot(...origin.state) < 1e-6, 'the origin, found from a start there');
  assert.ok(Math.abs((origin?.spectralRadius ?? 0) - 2) < 1e-4, 'unstable: eigenvalue 2');
});

test('the principal plane of states along a line is that line, explaining everything', () => {
  const rows = 20;
  const states = Float64Array.from({ length: rows * 3 }, (_, k) => (k % 3 === 0 ? Math.floor(k / 3) : k % 3 === 1 ? 2 * Math.floor(k / 3) : 0));
  const plane = principalPlane(states, rows);
  assert.ok(Math.abs((plane.explained[0] ?? 0) - 1) < 1e-9);
  const a = project([0, 0, 0], plane);
  const b = project([1, 2, 0], plane);
  assert.ok(Math.abs(Math.hypot(b[0] - a[0], b[1] - a[1]) - Math.sqrt(5)) < 1e-9, 'distances along the line are kept');
});
