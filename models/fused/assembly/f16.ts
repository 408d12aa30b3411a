// float32 -> float16 (IEEE 754 half, round to nearest even) for recording, four lanes at a time,
// bit-exact with lib/record/f16.ts: overflow and ±Infinity -> ±Infinity, NaN -> 0x7e00 with its
// sign, subnormal halves rounded through a float addition (F. Giesen's float_to_half_fast3_rtne).

@inline function halfBits4(x: v128): v128 {
  const sign = v128.and(x, i32x4.splat(0x80000000));
  const f = v128.xor(x, sign);
  // Infinity / NaN / |x| >= 65536.
  const big = i32x4.ge_u(f, i32x4.splat(0x47800000));
  const nan = i32x4.gt_u(f, i32x4.splat(0x7f800000));
  const special = v128.bitselect(i32x4.splat(0x7e00), i32x4.splat(0x7c00), nan);
  // Subnormal halves and zero: |x| < 2^-14. Adding 0.5 puts the half's bits at the bottom.
  const small = i32x4.lt_u(f, i32x4.splat(113 << 23));
  const magic = i32x4.splat(126 << 23);
  const sub = i32x4.sub(f32x4.add(f, magic), magic);
  // Normal halves: rebias the exponent and round the 13 dropped bits to nearest even.
  const odd = v128.and(i32x4.shr_u(f, 13), i32x4.splat(1));
  const norm = i32x4.shr_u(i32x4.add(i32x4.add(f, i32x4.splat(((15 - 127) << 23) + 0xfff)), odd), 13);
  const h = v128.bitselect(special, v128.bitselect(sub, norm, small), big);
  return v128.or(h, i32x4.shr_u(sign, 16));
}

/**
 * Encodes a block of K steps x S streams of one quantity into per-stream chunk staging:
 * src row k·S + b (H floats, `srcStride` floats apart) -> dst[b][row0 + k] (H halves, a stream
 * owning `chunkSize` rows), for streams [b0, b1) (threads split the streams).
 */
export function encodeF16Block(K: i32, S: i32, b0: i32, b1: i32, H: i32, src: usize, srcStride: i32, dst: usize, chunkSize: i32, row0: i32): void {
  const h8 = H & ~7;
  for (let k = 0; k < K; k++) {
    for (let b = b0; b < b1; b++) {
      const s = src + (<usize>((k * S + b) * srcStride) << 2);
      const d = dst + (<usize>((b * chunkSize + row0 + k) * H) << 1);
      let c = 0;
      for (; c < h8; c += 8) {
        const lo = halfBits4(v128.load(s + (<usize>c << 2)));
        const hi = halfBits4(v128.load(s + (<usize>c << 2), 16));
        v128.store(d + (<usize>c << 1), i16x8.narrow_i32x4_u(lo, hi));
      }
      if (H - c >= 4) {
        const lo = halfBits4(v128.load(s + (<usize>c << 2)));
        v128.store64_lane(d + (<usize>c << 1), i16x8.narrow_i32x4_u(lo, lo), 0);
        c += 4;
      }
      for (; c < H; c++) {
        store<u16>(d + (<usize>c << 1), <u16>i32x4.extract_lane(halfBits4(f32x4.splat(load<f32>(s + (<usize>c << 2)))), 0));
      }
    }
  }
}
