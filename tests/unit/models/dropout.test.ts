import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { createCharModel, disposeModel, oneHotRows, stackStep, zeroStates } from '../../../models/char-model.ts';
import { dropoutMask, disposeVariationalMasks, variationalMasks } from '../../../models/dropout.ts';
import { lstmCell } from '../../../models/lstm.ts';
import { gruCell } from '../../../models/gru.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';

const arr = (t: tf.Tensor): number[] => Array.from(t.dataSync());

test('inverted dropout mask: zeros at about the rate, survivors scaled by 1/(1-rate)', async () => {
  await ensureBackend();
  const m = arr(dropoutMask([200, 50], 0.3));
  const zeros = m.filter((v) => v === 0).length / m.length;
  assert.ok(Math.abs(zeros - 0.3) < 0.03, `zero fraction ${zeros}`);
  for (const v of m) assert.ok(v === 0 || Math.abs(v - 1 / 0.7) < 1e-6);
});

test('LSTM in-step dropout: on g the old memory is kept (c = f ⊙ c), on c the memory is erased', async () => {
  await ensureBackend();
  const w = lstmCell.init(3, 4, 2);
  const x = tf.randomNormal([2, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
  const state = { h: tf.randomNormal([2, 4], 0, 1, 'float32', 2) as tf.Tensor2D, c: tf.randomNormal([2, 4], 0, 1, 'float32', 3) as tf.Tensor2D };
  const zero = (t: tf.Tensor2D): tf.Tensor2D => tf.zerosLike(t);
  const plain = lstmCell.step(x, state, w);
  const noUpdate = lstmCell.step(x, state, w, { update: zero });
  const fc = arr(tf.mul(plain.quantities.f as tf.Tensor2D, state.c));
  arr(noUpdate.state.c as tf.Tensor2D).forEach((v, k) => assert.ok(Math.abs(v - (fc[k] ?? NaN)) < 1e-6));
  const noCell = lstmCell.step(x, state, w, { cell: zero });
  assert.deepEqual(arr(noCell.state.h as tf.Tensor2D).map((v) => Math.abs(v)), [0, 0, 0, 0, 0, 0, 0, 0]);
  // Gates are the same whatever is dropped: dropout acts after them.
  assert.deepEqual(arr(noUpdate.quantities.i as tf.Tensor2D), arr(plain.quantities.i as tf.Tensor2D));
});

test('GRU recurrent-update dropout acts on the candidate: with n dropped, h = z ⊙ h', async () => {
  await ensureBackend();
  const w = gruCell.init(3, 4, 5);
  const x = tf.randomNormal([2, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
  const h0 = tf.randomNormal([2, 4], 0, 1, 'float32', 7) as tf.Tensor2D;
  const out = gruCell.step(x, { h: h0 }, w, { update: (t) => tf.zerosLike(t) });
  const zh = arr(tf.mul(out.quantities.z as tf.Tensor2D, h0));
  arr(out.state.h as tf.Tensor2D).forEach((v, k) => assert.ok(Math.abs(v - (zh[k] ?? NaN)) < 1e-6));
});

test('variational dropout reuses its masks at every step; rate 0 changes nothing', async () => {
  await ensureBackend();
  const model = createCharModel({ arch: 'lstm', layers: 2, hidden: 6, vocabSize: 5 }, 3);
  const masks = variationalMasks(2, 3, 6, 0.5);
  const run = (plan: Parameters<typeof stackStep>[3]): number[] =>
    tf.tidy(() => {
      let s = zeroStates(model, 3);
      let top: tf.Tensor2D | undefined;
      for (let t = 0; t < 4; t++) {
        const out = stackStep(model, oneHotRows(Int32Array.from([t % 5, (t + 1) % 5, (t + 2) % 5]), 5), s, plan);
        s = out.states;
        top = out.top;
      }
      return arr(top as tf.Tensor2D);
    });
  const a = run({ kind: 'variational', rate: 0.5, variational: masks });
  const b = run({ kind: 'variational', rate: 0.5, variational: masks });
  assert.deepEqual(a, b, 'same masks, same result: nothing is resampled per step');
  const plain = run(undefined);
  assert.notDeepEqual(a, plain);
  assert.deepEqual(run({ kind: 'feedforward', rate: 0 }), plain);
  disposeVariationalMasks(masks);
  disposeModel(model);
});

test('config refuses in-cell dropout for cells that lack it, naming the field', () => {
  assert.throws(() => parseTrainConfig({ arch: 'rnn', dropout: 0.2, dropoutKind: 'recurrent-update' }), /dropoutKind[\s\S]*LSTM or a GRU|LSTM or a GRU/);
  assert.throws(() => parseTrainConfig({ arch: 'gru', dropout: 0.2, dropoutKind: 'cell' }), /needs an LSTM/);
  assert.equal(parseTrainConfig({ arch: 'gru', dropout: 0.2, dropoutKind: 'recurrent-update' }).dropoutKind, 'recurrent-update');
});
