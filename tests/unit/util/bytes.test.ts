import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes } from '../../../lib/util/bytes.ts';

test('byte arrays join end to end; one part is returned as it is', () => {
  assert.deepEqual([...concatBytes([Uint8Array.of(1, 2), new Uint8Array(0), Uint8Array.of(3)])], [1, 2, 3]);
  const one = Uint8Array.of(9);
  assert.equal(concatBytes([one]), one);
  assert.equal(concatBytes([]).length, 0);
});
