import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels } from '../../../../models/fused/kernels.ts';
import { predictTopK } from '../../../../models/fused/readout.ts';

test('softmax read-out: probabilities, top-k order (ties: lower id first) and the true next id, against float64', () => {
  const rt = kernels();
  const rows = 9;
  const H = 4;
  const V = 7;
  const h = Float32Array.from({ length: rows * H }, (_, i) => Math.sin(i * 1.7));
  const W = Float32Array.from({ length: H * V }, (_, i) => Math.cos(i * 0.9) * 2);
  const b = Float32Array.from({ length: V }, (_, i) => i * 0.1);
  // Row 0 is all zeros and W's columns 2 and 5 are made equal: exact ties to break.
  h.fill(0, 0, H);
  for (let r = 0; r < H; r++) W[r * V + 5] = W[r * V + 2] as number;
  b[5] = b[2] as number;
  const next = Int32Array.from({ length: rows }, (_, r) => (r === 3 ? -1 : (r * 3) % V));
  const at = rt.upload(h);
  const out = predictTopK(rt, { at, stride: H }, rows, H, W, b, next, 5);
  rt.release(at);
  for (let r = 0; r < rows; r++) {
    const logits = Array.from({ length: V }, (_, j) => {
      let s = b[j] as number;
      for (let k = 0; k < H; k++) s += (h[r * H + k] as number) * (W[k * V + j] as number);
      return s;
    });
    const max = Math.max(...logits);
    const e = logits.map((x) => Math.exp(x - max));
    const z = e.reduce((a, c) => a + c, 0);
    const p = e.map((x) => x / z);
    const order = p.map((v, j) => [v, j] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]).slice(0, 5);
    assert.deepEqual(Array.from(out.topIndices.subarray(r * 5, r * 5 + 5)), order.map((o) => o[1]), `row ${r} order`);
    order.forEach(([v], t) => assert.ok(Math.abs((out.topValues[r * 5 + t] as number) - v) < 1e-6, `row ${r} prob ${t}`));
    const nx = next[r] as number;
    assert.ok(Math.abs((out.truth[r] as number) - (nx < 0 ? 0 : (p[nx] as number))) < 1e-6, `row ${r} truth`);
  }
});
