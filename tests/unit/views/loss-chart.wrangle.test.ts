import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrangleLoss } from '../../../components/views/loss-chart.wrangle.ts';

test('training and validation curves in bits per character, with a padded extent', () => {
  const m = [
    { step: 10, trainLoss: 2, trainBpc: 2 / Math.LN2, charsPerSec: 1, elapsedMs: 1 },
    { step: 20, trainLoss: 1.5, trainBpc: 1.5 / Math.LN2, valBpc: 2.4, charsPerSec: 1, elapsedMs: 2 },
  ];
  const s = wrangleLoss(m, 100);
  assert.deepEqual(s.train.map((p) => p[0]), [10, 20]);
  assert.deepEqual(s.val, [[20, 2.4]]);
  assert.equal(s.xMax, 100);
  assert.ok(s.yMin < 1.5 / Math.LN2 && s.yMax > 2 / Math.LN2);
  const empty = wrangleLoss([], 0);
  assert.equal(empty.xMax, 1);
});
