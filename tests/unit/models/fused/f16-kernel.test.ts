import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels } from '../../../../models/fused/kernels.ts';
import { toFloat16 } from '../../../../lib/record/f16.ts';

test('the float16 encoding kernel is bit-exact with lib/record/f16.ts over a sweep of float32 patterns', () => {
  const rt = kernels();
  // Every 4099th bit pattern (both signs, every exponent: zero, subnormals, halfway cases,
  // overflow, Infinity, NaN) plus hand-picked edges.
  const bits: number[] = [];
  for (let b = 0; b < 2 ** 32; b += 4099) bits.push(b);
  const edges = [0, 2 ** -25, 2 ** -24, 1.5 * 2 ** -24, 2 ** -14, 65504, 65519.99, 65520, 65536, Infinity, NaN, 1 + 2 ** -11, 1 + 3 * 2 ** -11];
  const u = new Uint32Array(new Float32Array(edges.flatMap((v) => [v, -v])).buffer);
  bits.push(...u);
  const src = new Uint32Array(bits);
  const H = 12; // 8-wide body, a 4-wide tail, and (below) scalar tails
  const rows = Math.floor(src.length / H);
  const f = new Float32Array(src.buffer, 0, rows * H);
  const at = rt.upload(f);
  const dst = rt.alloc(rows * H * 2);
  // As one stream of `rows` chunk rows: K = rows steps, S = 1.
  rt.call('encodeF16Block', rows, 1, 0, 1, H, at, H, dst, rows, 0);
  const got = new Uint16Array(rt.bytes(dst, rows * H * 2).slice().buffer);
  for (let i = 0; i < rows * H; i++) {
    const want = toFloat16(f[i] as number);
    if (got[i] !== want) assert.fail(`bits 0x${(src[i] as number).toString(16)} (${f[i]}): kernel 0x${got[i]?.toString(16)}, reference 0x${want.toString(16)}`);
  }
  rt.release(at);
  rt.release(dst);
});

test('the float16 encoding kernel transposes (step, stream) rows into per-stream chunk rows, for any width', () => {
  const rt = kernels();
  for (const H of [3, 4, 6, 13]) {
    const K = 3;
    const S = 2;
    const chunk = 5;
    const stride = H + 2; // views into wider matrices (gate blocks) skip the other columns
    const src = Float32Array.from({ length: K * S * stride }, (_, i) => i / 7 - 3);
    const at = rt.upload(src);
    const dst = rt.alloc(S * chunk * H * 2);
    rt.zero(dst, S * chunk * H * 2);
    rt.call('encodeF16Block', K, S, 0, 1, H, at, stride, dst, chunk, 1);
    rt.call('encodeF16Block', K, S, 1, S, H, at, stride, dst, chunk, 1);
    const got = new Uint16Array(rt.bytes(dst, S * chunk * H * 2).slice().buffer);
    for (let k = 0; k < K; k++) {
      for (let b = 0; b < S; b++) {
        for (let c = 0; c < H; c++) {
          assert.equal(got[(b * chunk + 1 + k) * H + c], toFloat16(src[(k * S + b) * stride + c] as number), `H ${H} step ${k} stream ${b} cell ${c}`);
        }
      }
    }
    assert.equal(got[0], 0, 'rows before row0 untouched');
    rt.release(at);
    rt.release(dst);
  }
});
