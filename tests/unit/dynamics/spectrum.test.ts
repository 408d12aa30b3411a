import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eigenvalues, gershgorinDiscs, recurrentMatrix, spectralRadius, type Complex } from '../../../lib/dynamics/spectrum.ts';

/** Sorted by real then imaginary part, for comparing spectra. */
const sorted = (xs: Complex[]): Complex[] => [...xs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);

function close(got: Complex[], want: Complex[], tol = 1e-9): void {
  assert.equal(got.length, want.length);
  sorted(got).forEach(([re, im], k) => {
    const [wr, wi] = sorted(want)[k] as Complex;
    assert.ok(Math.abs(re - wr) < tol && Math.abs(im - wi) < tol, `${re}+${im}i vs ${wr}+${wi}i`);
  });
}

test('eigenvalues: a diagonal matrix has its diagonal; a triangular one too', () => {
  close(eigenvalues([2, 0, 0, 0, -0.5, 0, 0, 0, 0.25], 3), [[2, 0], [-0.5, 0], [0.25, 0]]);
  close(eigenvalues([1, 7, -3, 0, 0.5, 2, 0, 0, -4], 3), [[1, 0], [0.5, 0], [-4, 0]]);
});

test('eigenvalues: a rotation by θ scaled by r has r·e^{±iθ}, on the circle of radius r', () => {
  for (const [r, th] of [[1, 0.3], [0.9, 2.1], [1.2, Math.PI / 2]] as const) {
    const c = r * Math.cos(th);
    const s = r * Math.sin(th);
    const eig = eigenvalues([c, -s, s, c], 2);
    close(eig, [[c, s], [c, -s]]);
    assert.ok(Math.abs(spectralRadius(eig) - r) < 1e-12);
  }
});

test('eigenvalues: a companion matrix has the roots of its polynomial', () => {
  // (x − 1)(x + 2)(x − 0.5)(x² + 1) = x⁵ + 0.5x⁴ − 1.5x³ + 1.5x² − 2.5x + 1
  const coeffs = [0.5, -1.5, 1.5, -2.5, 1]; // a₄ … a₀ of the monic quintic
  const n = 5;
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) a[j] = -(coeffs[j] as number);
  for (let i = 1; i < n; i++) a[i * n + i - 1] = 1;
  close(eigenvalues(a, n), [[1, 0], [-2, 0], [0.5, 0], [0, 1], [0, -1]], 1e-8);
});

test('Gershgorin discs: diagonal centres, off-diagonal row sums; every eigenvalue lies in their union', () => {
  const a = [4, 1, -1, 0.5, -2, 0.25, 1, 1, 0];
  assert.deepEqual(gershgorinDiscs(a, 3), [[4, 0, 2], [-2, 0, 0.75], [0, 0, 2]]);
  for (let seed = 1; seed < 20; seed++) {
    const n = 6;
    const m = Float64Array.from({ length: n * n }, (_, k) => Math.sin(seed * 3.7 + k * 1.3) * (k % (n + 1) === 0 ? 3 : 1));
    const discs = gershgorinDiscs(m, n);
    for (const [re, im] of eigenvalues(m, n)) assert.ok(discs.some(([c, ci, r]) => Math.hypot(re - c, im - ci) <= r + 1e-9), `eigenvalue ${re}+${im}i outside every disc`);
  }
});

test('recurrent matrices: the block each cell kind reads its state through, transposed to act on column vectors', () => {
  const H = 2;
  // An LSTM kernel [H, 4H]: row j, column gate·H + i = 10·gate + 2·j + i (distinct entries).
  const lstm = Float32Array.from({ length: H * 4 * H }, (_, k) => 10 * Math.floor((k % (4 * H)) / H) + 2 * Math.floor(k / (4 * H)) + ((k % (4 * H)) % H));
  const m = recurrentMatrix('lstm', H, lstm);
  assert.equal(m.name, 'U_g');
  // A[i][j] = U[j][2H + i] = 20 + 2j + i
  assert.deepEqual(Array.from(m.a), [20, 22, 21, 23]);
  assert.equal(recurrentMatrix('gru', H, new Float32Array(H * 3 * H)).name, 'U_n');
  assert.deepEqual(Array.from(recurrentMatrix('rnn', H, [1, 2, 3, 4]).a), [1, 3, 2, 4]);
  assert.equal(recurrentMatrix('irnn', H, [1, 0, 0, 1]).name, 'W_h');
  assert.throws(() => recurrentMatrix('lstm', H, new Float32Array(H * 2 * H)), /does not hold/);
});
