import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { matMulFastGrad } from '../../../models/matmul-fast-grad.ts';

test('value and both gradients equal tfjs matMul and its own gradient', async () => {
  await ensureBackend();
  const a = tf.randomNormal([5, 7], 0, 1, 'float32', 1) as tf.Tensor2D;
  const b = tf.randomNormal([7, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
  const w = tf.randomNormal([5, 3], 0, 1, 'float32', 3);
  const loss = (f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D), w));
  const ours = tf.grads(loss(matMulFastGrad))([a, b]);
  const ref = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
  const close = (p: tf.Tensor, q: tf.Tensor): void => {
    const d = tf.max(tf.abs(tf.sub(p, q))).dataSync()[0] ?? Infinity;
    assert.ok(d < 1e-5, `max difference ${d}`);
  };
  close(matMulFastGrad(a, b), tf.matMul(a, b));
  close(ours[0] as tf.Tensor, ref[0] as tf.Tensor);
  close(ours[1] as tf.Tensor, ref[1] as tf.Tensor);
});

test('gradient matches central finite differences', async () => {
  await ensureBackend();
  const a = tf.tensor2d([[0.3, -1.2], [0.7, 0.1]]);
  const b = tf.tensor2d([[1.1, -0.4, 0.2], [0.5, 0.9, -0.8]]);
  const f = (x: tf.Tensor2D): number => tf.tidy(() => tf.sum(tf.square(matMulFastGrad(x, b))).dataSync()[0] ?? NaN);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(matMulFastGrad(x as tf.Tensor2D, b))))(a).arraySync() as number[][];
  const base = a.arraySync();
  const h = 1e-2;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const plus = base.map((r) => [...r]);
      const minus = base.map((r) => [...r]);
      plus[i]![j]! += h;
      minus[i]![j]! -= h;
      const fd = (f(tf.tensor2d(plus)) - f(tf.tensor2d(minus))) / (2 * h);
      assert.ok(Math.abs(fd - (g[i]?.[j] ?? NaN)) < 2e-3, `d/da[${i}][${j}]: ${fd} vs ${g[i]?.[j]}`);
    }
  }
});
