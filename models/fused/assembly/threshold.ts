// The select & match index (lib/search/track-store.ts): on/off bits of cell-major values at a
// set of threshold levels. values [H, len] float32 (cell-major); levels [L] float32 ascending;
// out [L, H, Wb] u32 words, Wb = ⌈len / 32⌉, bit t of word (l, c, t / 32) set when
// values[c, t] ≥ levels[l]. Four steps per comparison (f32x4.ge + i32x4.bitmask).

export function thresholdWords(H: i32, len: i32, values: usize, levels: usize, L: i32, out: usize): void {
  const Wb = (len + 31) >> 5;
  const full = len & ~3;
  for (let l = 0; l < L; l++) {
    const th = f32x4.splat(load<f32>(levels + (<usize>l << 2)));
    const thS = load<f32>(levels + (<usize>l << 2));
    const plane = out + (<usize>(l * H * Wb) << 2);
    for (let c = 0; c < H; c++) {
      const row = values + (<usize>(c * len) << 2);
      const words = plane + (<usize>(c * Wb) << 2);
      let word: u32 = 0;
      let t = 0;
      for (; t < full; t += 4) {
        const bits = <u32>i32x4.bitmask(f32x4.ge(v128.load(row + (<usize>t << 2)), th));
        word |= bits << (<u32>t & 31);
        if ((t & 31) == 28) {
          store<u32>(words + (<usize>(t >> 5) << 2), word);
          word = 0;
        }
      }
      for (; t < len; t++) {
        if (load<f32>(row + (<usize>t << 2)) >= thS) word |= (<u32>1) << (<u32>t & 31);
      }
      if ((len & 31) != 0 || (full < len)) store<u32>(words + (<usize>((len - 1) >> 5) << 2), word);
    }
  }
}
