// Blocked single-precision matrix products for the fused recurrent kernels (AssemblyScript, SIMD).
//
// gemm computes C[M, N] = (accumulate ? C : 0) + A[M, K] · B[K, N] where B and C are row-major
// (row strides ldb, ldc, in floats) and A is addressed by strides: element (i, p) lives at
// a + 4 * (i * ars + p * acs). So A = X is (ars = K, acs = 1) and A = Xᵀ for a row-major X[P, M]
// is (ars = 1, acs = M): the transposed product that weight gradients need costs the same as the
// plain one, with no copy.
//
// The micro-kernel keeps a 4 x 8 tile of C in eight v128 registers and streams one row of B and
// four scalars of A per step of p; every pointer is a byte address into linear memory.

/** acc + a·b, fused (one rounding) when the module is built with relaxed SIMD. */
@inline function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

@inline function tile4x8(kk: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const rs = (<usize>ars) << 2;
  const cs = (<usize>acs) << 2;
  const bs = (<usize>ldb) << 2;
  let ap = a;
  let bp = b;
  for (let p = 0; p < kk; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let s = f32x4.splat(load<f32>(ap));
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = f32x4.splat(load<f32>(ap + rs));
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = f32x4.splat(load<f32>(ap + 2 * rs));
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = f32x4.splat(load<f32>(ap + 3 * rs));
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    ap += cs;
    bp += bs;
  }
  const ls = (<usize>ldc) << 2;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ls)); c11 = f32x4.add(c11, v128.load(c + ls, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ls)); c21 = f32x4.add(c21, v128.load(c + 2 * ls, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ls)); c31 = f32x4.add(c31, v128.load(c + 3 * ls, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ls, c10); v128.store(c + ls, c11, 16);
  v128.store(c + 2 * ls, c20); v128.store(c + 2 * ls, c21, 16);
  v128.store(c + 3 * ls, c30); v128.store(c + 3 * ls, c31, 16);
}

/** One row of C, 8 columns, for the rows left over below a multiple of 4. */
@inline function tile1x8(kk: i32, a: usize, acs: i32, b: usize, ldb: i32, c: usize, accumulate: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  const cs = (<usize>acs) << 2;
  const bs = (<usize>ldb) << 2;
  let ap = a;
  let bp = b;
  for (let p = 0; p < kk; p++) {
    const s = f32x4.splat(load<f32>(ap));
    c0 = madd(s, v128.load(bp), c0);
    c1 = madd(s, v128.load(bp, 16), c1);
    ap += cs;
    bp += bs;
  }
  if (accumulate) {
    c0 = f32x4.add(c0, v128.load(c));
    c1 = f32x4.add(c1, v128.load(c, 16));
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
}

/** Scalar fallback for one element (columns past the last multiple of 8). */
@inline function dotScalar(kk: i32, a: usize, acs: i32, b: usize, ldb: i32): f32 {
  let s: f32 = 0;
  const cs = (<usize>acs) << 2;
  const bs = (<usize>ldb) << 2;
  for (let p = 0; p < kk; p++) {
    s += load<f32>(a) * load<f32>(b);
    a += cs;
    b += bs;
  }
  return s;
}

// p is processed in panels so that the B panel being streamed stays in L1/L2 across the row tiles.
const KC: i32 = 128;

export function gemm(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32, c: usize, ldc: i32, accumulate: i32): void {
  const n8 = n & ~7;
  const m4 = m & ~3;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kk = min(KC, k - p0);
    const acc = accumulate != 0 || p0 > 0;
    const ap0 = a + (<usize>p0 * <usize>acs << 2);
    const bp0 = b + (<usize>p0 * <usize>ldb << 2);
    for (let j = 0; j < n8; j += 8) {
      const bj = bp0 + (<usize>j << 2);
      let i = 0;
      for (; i < m4; i += 4) {
        tile4x8(kk, ap0 + (<usize>i * <usize>ars << 2), ars, acs, bj, ldb, c + ((<usize>i * <usize>ldc + <usize>j) << 2), ldc, acc);
      }
      for (; i < m; i++) {
        tile1x8(kk, ap0 + (<usize>i * <usize>ars << 2), acs, bj, ldb, c + ((<usize>i * <usize>ldc + <usize>j) << 2), acc);
      }
    }
    for (let j = n8; j < n; j++) {
      for (let i = 0; i < m; i++) {
        const cp = c + ((<usize>i * <usize>ldc + <usize>j) << 2);
        const s = dotScalar(kk, ap0 + (<usize>i * <usize>ars << 2), acs, bp0 + (<usize>j << 2), ldb);
        store<f32>(cp, acc ? load<f32>(cp) + s : s);
      }
    }
  }
}

/** dst[cols, rows] = src[rows, cols]ᵀ, in 8 x 8 blocks so both sides stay in cache lines. */
export function transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  for (let i0 = 0; i0 < rows; i0 += 8) {
    const i1 = min(rows, i0 + 8);
    for (let j0 = 0; j0 < cols; j0 += 8) {
      const j1 = min(cols, j0 + 8);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f32>(dst + (<usize>(j * rows + i) << 2), load<f32>(src + (<usize>(i * cols + j) << 2)));
        }
      }
    }
  }
}

// Packed B: the micro-kernel reads 8 consecutive columns of B for each p. In a row-major B with
// long rows those 32 bytes sit one row stride apart, so a tile walks K different pages; packing
// B once into column panels [n / 8][k][8] makes every tile read one contiguous stream (the
// measured difference at k = 512, n = 2048 was 1.5-2x). n must be a multiple of 8.

/** Packs columns [j0, j1) (multiples of 8) of B[k, n] (row stride ldb) into dst, panel-major. */
export function packB(k: i32, j0: i32, j1: i32, b: usize, ldb: i32, dst: usize): void {
  for (let j = j0; j < j1; j += 8) {
    let out = dst + (<usize>j * <usize>k << 2);
    let src = b + (<usize>j << 2);
    const bs = (<usize>ldb) << 2;
    for (let p = 0; p < k; p++) {
      v128.store(out, v128.load(src));
      v128.store(out, v128.load(src, 16), 16);
      out += 32;
      src += bs;
    }
  }
}

/** C[M, N] = (accumulate ? C : 0) + A · B with B packed by packB (N a multiple of 8). */
export function gemmPacked(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, bp: usize, c: usize, ldc: i32, accumulate: i32): void {
  const m4 = m & ~3;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kk = min(KC, k - p0);
    const acc = accumulate != 0 || p0 > 0;
    const ap0 = a + (<usize>p0 * <usize>acs << 2);
    for (let j = 0; j < n; j += 8) {
      const bj = bp + ((<usize>j * <usize>k + <usize>p0 * 8) << 2);
      let i = 0;
      for (; i < m4; i += 4) {
        tile4x8(kk, ap0 + (<usize>i * <usize>ars << 2), ars, acs, bj, 8, c + ((<usize>i * <usize>ldc + <usize>j) << 2), ldc, acc);
      }
      for (; i < m; i++) {
        tile1x8(kk, ap0 + (<usize>i * <usize>ars << 2), acs, bj, 8, c + ((<usize>i * <usize>ldc + <usize>j) << 2), acc);
      }
    }
  }
}

/** gemm or gemmPacked, by whether B was packed (ldb is ignored for a packed B). */
@inline export function gemmB(m: i32, n: i32, k: i32, a: usize, ars: i32, acs: i32, b: usize, ldb: i32, packed: bool, c: usize, ldc: i32, accumulate: i32): void {
  if (packed) gemmPacked(m, n, k, a, ars, acs, b, c, ldc, accumulate);
  else gemm(m, n, k, a, ars, acs, b, ldb, c, ldc, accumulate);
}
