import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels } from '../../../../models/fused/kernels.ts';

function rand(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
}

/** C = A·B in float64, A given by strides over `a`. */
function naive(m: number, n: number, k: number, a: Float32Array, ars: number, acs: number, b: Float32Array, ldb: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (a[i * ars + p * acs] as number) * (b[p * ldb + j] as number);
    c[i * n + j] = s;
  }
  return c;
}

for (const [m, n, k] of [[1, 8, 3], [5, 13, 7], [16, 64, 130], [37, 24, 300], [8, 9, 1]] as const) {
  for (const transposed of [false, true]) {
    test(`gemm ${m}x${n}x${k}${transposed ? ' with Aᵀ' : ''}: equal to a float64 product, packed and unpacked B, plain and accumulating`, () => {
      const rt = kernels();
      const before = rt.allocatedBytes();
      const A = rand(m * k, m + n + k);
      const B = rand(k * n, 7 * m + k);
      const C0 = rand(m * n, 3);
      const [ars, acs] = transposed ? [1, m] : [k, 1]; // transposed: A is stored as [k, m]
      const want = naive(m, n, k, A, ars, acs, B, n);
      const a = rt.upload(A);
      const b = rt.upload(B);
      const c = rt.upload(C0);
      for (const accumulate of [false, true]) {
        rt.f32().set(C0, c / 4);
        rt.gemm(m, n, k, a, ars, acs, b, n, c, n, accumulate); // packs B when n % 8 == 0 and m >= 16
        const got = rt.download(c, m * n);
        want.forEach((v, i) => assert.ok(Math.abs((got[i] as number) - (v + (accumulate ? (C0[i] as number) : 0))) < 1e-5 * Math.sqrt(k) + 1e-6, `C[${i}]`));
        rt.f32().set(C0, c / 4);
        rt.call('gemm', m, n, k, a, ars, acs, b, n, c, n, accumulate ? 1 : 0);
        const single = rt.download(c, m * n);
        want.forEach((v, i) => assert.ok(Math.abs((single[i] as number) - (v + (accumulate ? (C0[i] as number) : 0))) < 1e-5 * Math.sqrt(k) + 1e-6, `single-thread C[${i}]`));
      }
      [a, b, c].forEach((p) => rt.release(p));
      assert.equal(rt.allocatedBytes(), before);
    });
  }
}

test('transpose and packB lay matrices out as documented', () => {
  const rt = kernels();
  const X = rand(5 * 16, 9);
  const x = rt.upload(X);
  const t = rt.alloc(5 * 16 * 4);
  rt.transpose(5, 16, x, t);
  const T = rt.download(t, 80);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 16; j++) assert.equal(T[j * 5 + i], X[i * 16 + j]);
  const p = rt.packB(5, 16, x, 16);
  const P = rt.download(p, 80);
  // panel j/8, row p, column j%8
  for (let r = 0; r < 5; r++) for (let j = 0; j < 16; j++) assert.equal(P[Math.floor(j / 8) * 5 * 8 + r * 8 + (j % 8)], X[r * 16 + j]);
  [x, t, p].forEach((q) => rt.release(q));
});
