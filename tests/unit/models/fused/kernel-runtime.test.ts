import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelRuntime, kernelModule, kernels, kernelThreads, splitRows } from '../../../../models/fused/kernels.ts';

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

test('a helper runs each command once: a wake-up that arrives after it already ran the command is ignored', async () => {
  // The caller publishes a command's sequence number and then notifies. If it is descheduled
  // between the two, the helper can run the command, go back to sleep, and only then receive
  // that notification; it must not take it for a new command (this doubled a softmax part once).
  const { module, variant } = kernelModule();
  const rt = new KernelRuntime(module, 2, variant);
  const rows = 8;
  const a = rt.upload(Float32Array.from({ length: rows * 4 }, (_, i) => (i % 7) - 3));
  const b = rt.upload(Float32Array.from({ length: 4 * 8 }, (_, i) => (i % 5) - 2));
  const c = rt.alloc(rows * 8 * 4);
  rt.zero(c, rows * 8 * 4);
  const part = (r0: number): number[] => [4, 8, 4, a + r0 * 16, 4, 1, b, 8, c + r0 * 32, 8, 1]; // C += A·B
  rt.parallel('gemm', [part(0), part(4)]);
  const once = rt.download(c, rows * 8);
  const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
  await sleep(50); // the helper has stopped spinning and sleeps on its control word
  // Private access on purpose: this replays the late notification itself.
  const { ctl } = (rt as unknown as { workers: { ctl: Int32Array }[] }).workers[0] as { ctl: Int32Array };
  Atomics.notify(ctl, 0);
  await sleep(50);
  assert.deepEqual(rt.download(c, rows * 8), once, 'the helper did not accumulate its rows a second time');
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 8; j++) {
      let want = 0;
      for (let p = 0; p < 4; p++) want += (((r * 4 + p) % 7) - 3) * (((p * 8 + j) % 5) - 2);
      assert.equal(once[r * 8 + j], want);
    }
  }
});
