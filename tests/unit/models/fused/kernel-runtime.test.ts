import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels, kernelThreads, splitRows } from '../../../../models/fused/kernels.ts';

test('splitRows covers [0, n) in at most `parts` ranges with inner bounds on the multiple', () => {
  assert.deepEqual(splitRows(10, 2), [[0, 5], [5, 10]]);
  assert.deepEqual(splitRows(10, 3, 4), [[0, 4], [4, 8], [8, 10]]);
  assert.deepEqual(splitRows(3, 4), [[0, 1], [1, 2], [2, 3]]);
  assert.deepEqual(splitRows(0, 2), []);
  for (const [n, p, m] of [[37, 2, 4], [512, 8, 8], [1, 2, 1]] as const) {
    const parts = splitRows(n, p, m);
    assert.ok(parts.length <= p);
    assert.equal(parts[0]?.[0], 0);
    assert.equal(parts.at(-1)?.[1], n);
    parts.slice(1).forEach(([a], i) => {
      assert.equal(a, parts[i]?.[1]);
      assert.equal(a % m, 0);
    });
  }
});

test('kernel memory: blocks are aligned, freed blocks are reused and merged, the top shrinks back', () => {
  const rt = kernels();
  const base = rt.allocatedBytes();
  const a = rt.alloc(100);
  const b = rt.alloc(1000);
  const c = rt.alloc(10);
  for (const p of [a, b, c]) assert.equal(p % 64, 0);
  assert.ok(b >= a + 100 && c >= b + 1000, 'blocks do not overlap');
  rt.release(a);
  rt.release(b);
  const d = rt.alloc(1050); // fits in the merged a+b hole
  assert.equal(d, a);
  assert.throws(() => rt.release(a + 64), /not an allocated block/);
  rt.release(d);
  rt.release(c);
  assert.equal(rt.allocatedBytes(), base);
  const e = rt.alloc(64);
  assert.ok(e <= a, 'the freed top is handed out again');
  rt.release(e);
});

test('memory grows on demand and views taken afterwards see it', () => {
  const rt = kernels();
  const big = rt.alloc(64 * 1024 * 1024);
  rt.f32().fill(1.5, big / 4 + 16 * 1024 * 1024 - 1, big / 4 + 16 * 1024 * 1024);
  assert.equal(rt.download(big + 64 * 1024 * 1024 - 4, 1)[0], 1.5);
  rt.release(big);
});

test('parallel runs every part, on helper threads too, and reports a failing part', () => {
  const rt = kernels();
  assert.equal(rt.threads, kernelThreads());
  const n = 4 * rt.threads;
  const src = rt.upload(Float32Array.from({ length: n * 8 }, (_, i) => i));
  const dst = rt.alloc(n * 8 * 4);
  rt.zero(dst, n * 8 * 4);
  // Each part sums its rows' columns: columnSums over a slice of rows.
  const parts = splitRows(n, rt.threads);
  const sums = parts.map(() => rt.alloc(8 * 4));
  rt.parallel('columnSums', parts.map(([r0, r1], i) => [r1 - r0, 8, src + r0 * 32, sums[i] as number]));
  parts.forEach(([r0, r1], i) => {
    const got = rt.download(sums[i] as number, 8);
    for (let j = 0; j < 8; j++) {
      let want = 0;
      for (let r = r0; r < r1; r++) want += r * 8 + j;
      assert.equal(got[j], want);
    }
  });
  assert.throws(() => rt.parallel('columnSums', Array.from({ length: rt.threads + 1 }, () => [0, 8, src, dst])), /parts for/);
  [src, dst, ...sums].forEach((p) => rt.release(p));
});
