// Soft match (lib/search/soft-match.ts): for every window start a in [0, T - L], the dot product
// of the selected cells' values over [a, a + L) with a template, Σ_c Σ_j cols[c][a + j] ·
// tmpl[c][j]. cols [C][T] float32, tmpl [C][L] float32, out [T - L + 1] float32; positions
// [a0, a1) of out are written (threads split the positions). Four positions per vector op.

export function correlate(T: i32, L: i32, C: i32, cols: usize, tmpl: usize, out: usize, a0: i32, a1: i32): void {
  const n = a1 - a0;
  const n4 = n & ~3;
  memory.fill(out + (<usize>a0 << 2), 0, <usize>n << 2);
  for (let c = 0; c < C; c++) {
    const col = cols + (<usize>(c * T) << 2);
    for (let j = 0; j < L; j++) {
      const w = load<f32>(tmpl + (<usize>(c * L + j) << 2));
      if (w == 0) continue;
      const w4 = f32x4.splat(w);
      const src = col + (<usize>(a0 + j) << 2);
      const dst = out + (<usize>a0 << 2);
      let a = 0;
      for (; a < n4; a += 4) {
        const o = <usize>a << 2;
        v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(v128.load(src + o), w4)));
      }
      for (; a < n; a++) {
        const o = <usize>a << 2;
        store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o) * w);
      }
    }
  }
}
