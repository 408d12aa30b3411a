/**
 * IEEE 754 half precision (float16) codec for recorded states. Values keep 11 significant bits:
 * relative error <= 2^-11 (4.9e-4) for |x| in [6.1e-5, 65504]; smaller magnitudes lose relative
 * precision (absolute error <= 3e-8); larger ones become ±Infinity. Rounding is to nearest even.
 * Stored little-endian (the byte order of every platform Node supports).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 bit pattern -> float16 bit pattern. */
function halfBits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and overflows to Infinity).
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
  return half;
}

export function toFloat16(value: number): number {
  f32[0] = value;
  return halfBits(u32[0] ?? 0);
}

/** Encodes src into dst (same length). */
export function encodeF16(src: Float32Array, dst: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let k = 0; k < bits.length; k++) dst[k] = halfBits(bits[k] ?? 0);
}

let table: Float32Array | undefined;

/** All 65536 float16 values as float32, built once (256 KiB): decode is one lookup. */
export function decodeTable(): Float32Array {
  if (table) return table;
  table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    let v: number;
    if (exp === 0) v = mant * 2 ** -24;
    else if (exp === 0x1f) v = mant === 0 ? Infinity : NaN;
    else v = (1 + mant / 1024) * 2 ** (exp - 15);
    table[h] = sign * v;
  }
  return table;
}

export function fromFloat16(bits: number): number {
  return decodeTable()[bits & 0xffff] ?? NaN;
}

/** Decodes src into dst (same length). */
export function decodeF16(src: Uint16Array, dst: Float32Array): void {
  const t = decodeTable();
  for (let k = 0; k < src.length; k++) dst[k] = t[src[k] ?? 0] ?? NaN;
}

/** A Uint16Array view over bytes (copying only when the bytes are not 2-aligned). */
export function u16View(bytes: Uint8Array): Uint16Array {
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  return new Uint16Array(bytes.slice().buffer);
}
