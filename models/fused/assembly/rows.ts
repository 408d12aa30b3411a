// Row operations around the fused recurrences: the input projection of one-hot (token id) inputs
// is a row gather, its weight gradient a scatter-add; bias rows and bias gradients. Matrices are
// row-major [rows, G] float32, ids int32, addresses in bytes. The gather and scatter need G to be
// a multiple of 4 (the recurrent layers' G always is).

/** dst[r] = w[ids[r]] + bias for r < n (ids index rows of w [V, G]). */
export function gatherRowsAddBias(n: i32, g: i32, ids: usize, w: usize, bias: usize, dst: usize): void {
  const rowBytes = <usize>g << 2;
  for (let r = 0; r < n; r++) {
    const src = w + <usize>load<i32>(ids + (<usize>r << 2)) * rowBytes;
    const out = dst + <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(out + j, f32x4.add(v128.load(src + j), v128.load(bias + j)));
  }
}

/** dst[r] = bias for r < n. */
export function fillRows(n: i32, g: i32, bias: usize, dst: usize): void {
  const rowBytes = <usize>g << 2;
  for (let r = 0; r < n; r++) memory.copy(dst + <usize>r * rowBytes, bias, rowBytes);
}

/** dst[ids[r]] += src[r] for r < n. */
export function scatterAddRows(n: i32, g: i32, ids: usize, src: usize, dst: usize): void {
  const rowBytes = <usize>g << 2;
  for (let r = 0; r < n; r++) {
    const out = dst + <usize>load<i32>(ids + (<usize>r << 2)) * rowBytes;
    const inp = src + <usize>r * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) v128.store(out + j, f32x4.add(v128.load(out + j), v128.load(inp + j)));
  }
}

/** dst[j] = Σ_r src[r, j] (any width g). */
export function columnSums(n: i32, g: i32, src: usize, dst: usize): void {
  const rowBytes = <usize>g << 2;
  const vecBytes = <usize>(g & ~3) << 2;
  memory.fill(dst, 0, rowBytes);
  for (let r = 0; r < n; r++) {
    const inp = src + <usize>r * rowBytes;
    let j: usize = 0;
    for (; j < vecBytes; j += 16) v128.store(dst + j, f32x4.add(v128.load(dst + j), v128.load(inp + j)));
    for (; j < rowBytes; j += 4) store<f32>(dst + j, load<f32>(dst + j) + load<f32>(inp + j));
  }
}
