/** Small dense linear algebra for initialisers: row-major [n*n] matrices, float64 vectors. */

/** y = M v for a square row-major matrix. */
export function matVec(m: ArrayLike<number>, n: number, v: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (m[i * n + j] ?? 0) * (v[j] ?? 0);
    y[i] = s;
  }
  return y;
}

export function norm2(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}
