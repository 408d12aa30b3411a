import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainEndFor } from '../../../lib/corpus/split.ts';

test('holds out the last 5% by default, at least one character each side', () => {
  assert.equal(trainEndFor(1000), 950);
  assert.equal(trainEndFor(1000, 0.1), 900);
  assert.equal(trainEndFor(2), 1);
  assert.equal(trainEndFor(10), 9);
  assert.throws(() => trainEndFor(1), /at least 2/);
  assert.throws(() => trainEndFor(100, 1), /fraction/);
});
