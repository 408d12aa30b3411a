import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../../lib/tf/backend.ts';
import { kernels } from '../../../../models/fused/kernels.ts';
import { fusedReadoutLoss } from '../../../../models/fused/readout-loss.ts';
import { maxAbsDiff } from './tfjs-reference.ts';

for (const [N, H, V] of [[37, 12, 9], [64, 16, 65]] as const) {
  test(`fused read-out loss equals tfjs softmax cross-entropy: value 1e-5, gradients 1e-4 (${N} rows, ${H} -> ${V})`, async () => {
    await ensureBackend();
    const before = kernels().allocatedBytes();
    const top = tf.randomNormal([N, H], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([H, V], 0, 0.5, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([V], 0, 0.5, 'float32', 3) as tf.Tensor1D;
    const targets = Int32Array.from({ length: N }, (_, i) => (i * 7 + 3) % V);
    // A loss that scales the mean (dy != 1) checks the chain rule too.
    const reference = (t: tf.Tensor, k: tf.Tensor, c: tf.Tensor): tf.Scalar =>
      tf.mul(2.5, tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(targets, 'int32'), V), tf.add(tf.matMul(t as tf.Tensor2D, k as tf.Tensor2D), c))) as tf.Scalar;
    const fused = (t: tf.Tensor, k: tf.Tensor, c: tf.Tensor): tf.Scalar => tf.mul(2.5, fusedReadoutLoss(t as tf.Tensor2D, k as tf.Tensor2D, c as tf.Tensor1D, targets)) as tf.Scalar;
    const [want, got] = [reference, fused].map((f) => tf.tidy(() => f(top, w, b).dataSync()[0] ?? NaN));
    assert.ok(Math.abs((got ?? NaN) - (want ?? NaN)) < 1e-5, `loss ${got} vs ${want}`);
    const gw = tf.grads(reference)([top, w, b]).map((g) => g.dataSync() as Float32Array);
    const gf = tf.grads(fused)([top, w, b]).map((g) => g.dataSync() as Float32Array);
    ['top', 'kernel', 'bias'].forEach((name, i) => {
      const d = maxAbsDiff(gf[i] as Float32Array, gw[i] as Float32Array);
      assert.ok(d < 1e-4, `gradient of ${name} differs by ${d}`);
    });
    assert.equal(kernels().allocatedBytes(), before, 'every kernel buffer is released');
  });
}
