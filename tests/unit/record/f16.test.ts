import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeF16, encodeF16, fromFloat16, toFloat16 } from '../../../lib/record/f16.ts';

test('exact float16 values round-trip bit for bit', () => {
  for (const v of [0, 1, -1, 0.5, 2, 65504, -65504, 2 ** -14, 2 ** -24, 0.333251953125]) {
    assert.equal(fromFloat16(toFloat16(v)), v, `value ${v}`);
  }
  assert.equal(toFloat16(-0), 0x8000);
});

test('known bit patterns (IEEE 754 binary16)', () => {
  assert.equal(toFloat16(1), 0x3c00);
  assert.equal(toFloat16(-2), 0xc000);
  assert.equal(toFloat16(65504), 0x7bff);
  assert.equal(toFloat16(1e6), 0x7c00); // overflow -> +Infinity
  assert.equal(toFloat16(2 ** -24), 0x0001); // smallest subnormal
  assert.ok(Number.isNaN(fromFloat16(toFloat16(NaN))));
});

test('rounds to nearest, ties to even', () => {
  const ulp = 2 ** -10; // spacing of float16 in [1, 2)
  assert.equal(fromFloat16(toFloat16(1 + ulp / 2)), 1); // tie -> even (1.0)
  assert.equal(fromFloat16(toFloat16(1 + (3 * ulp) / 2)), 1 + 2 * ulp); // tie -> even
  assert.equal(fromFloat16(toFloat16(1 + ulp * 0.51)), 1 + ulp);
});

test('relative error stays within 2^-11 on [6.1e-5, 65504], array codec agrees with scalar', () => {
  const n = 20000;
  const src = new Float32Array(n);
  let seed = 7;
  for (let k = 0; k < n; k++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const mag = 2 ** (-14 + (seed / 2 ** 31) * 29.9);
    src[k] = k % 2 ? mag : -mag;
  }
  const half = new Uint16Array(n);
  encodeF16(src, half);
  const back = new Float32Array(n);
  decodeF16(half, back);
  let worst = 0;
  for (let k = 0; k < n; k++) {
    const a = src[k] ?? 0;
    assert.equal(half[k], toFloat16(a));
    worst = Math.max(worst, Math.abs((back[k] ?? 0) - a) / Math.abs(a));
  }
  assert.ok(worst <= 2 ** -11 + 1e-12, `worst relative error ${worst}`);
});
