import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TbpttBatcher } from '../../../lib/train/batcher.ts';

test('streams are contiguous: each batch continues the previous one, targets are shifted by one', () => {
  const ids = Int32Array.from({ length: 41 }, (_, k) => k);
  const b = new TbpttBatcher(ids, 2, 5); // streams of 20: [0..19], [20..39]
  const first = b.next();
  assert.equal(first.wrapped, true);
  assert.deepEqual(Array.from(first.inputs.map((r) => r[1] ?? -1)), [20, 21, 22, 23, 24]);
  assert.equal(first.targets[0 * 2 + 1], 21);
  const second = b.next();
  assert.equal(second.wrapped, false);
  assert.deepEqual(Array.from(second.inputs.map((r) => r[0] ?? -1)), [5, 6, 7, 8, 9]);
  b.next();
  b.next(); // cursor at 20 = end of the streams
  const wrapped = b.next();
  assert.equal(wrapped.wrapped, true);
  assert.equal(wrapped.inputs[0]?.[0], 0);
});

test('too little text for one batch is refused with the numbers', () => {
  assert.throws(() => new TbpttBatcher(new Int32Array(10), 4, 8), /need at least 33/);
});
