import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellOptionsOf, parseTrainConfig } from '../../../lib/train/config.ts';

test('config: runs trained here stay within 1024 cells; imported ones may describe up to 4096', () => {
  assert.throws(() => parseTrainConfig({ hidden: 2048 }), /less than or equal to 1024/);
  assert.equal(parseTrainConfig({ hidden: 2048, source: 'lstmvis' }).hidden, 2048);
  assert.throws(() => parseTrainConfig({ hidden: 8192, source: 'lstmvis' }), /hidden/);
});

test('config: an imported model\'s activations and GRU form reach its cell options; the defaults stay Cellscope\'s', () => {
  const own = cellOptionsOf(parseTrainConfig({ arch: 'gru' }));
  assert.equal(own.recurrentActivation, 'sigmoid');
  assert.equal(own.resetAfter, false);
  assert.equal(own.activation, undefined);
  const imported = cellOptionsOf(parseTrainConfig({ arch: 'gru', source: 'imported', recurrentActivation: 'hard_sigmoid', activation: 'relu', resetAfter: true }));
  assert.deepEqual([imported.recurrentActivation, imported.activation, imported.resetAfter], ['hard_sigmoid', 'relu', true]);
  assert.throws(() => parseTrainConfig({ recurrentActivation: 'softsign' }), /recurrentActivation/);
});
