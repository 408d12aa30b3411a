import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TopK } from '../../../lib/search/top-k.ts';

test('TopK keeps the k smallest items under the comparison, in order, whatever the arrival order', () => {
  let seed = 3;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (const k of [0, 1, 5, 50]) {
    const items = Array.from({ length: 300 }, () => Math.floor(rand() * 100));
    const top = new TopK<number>(k, (a, b) => a - b);
    items.forEach((x) => top.offer(x));
    assert.deepEqual(top.sorted(), [...items].sort((a, b) => a - b).slice(0, k));
    assert.equal(top.size, Math.min(k, items.length));
  }
  const t = new TopK<number>(2, (a, b) => a - b);
  t.offer(5);
  assert.equal(t.worst(), undefined, 'no worst until k are kept');
  t.offer(3);
  assert.equal(t.worst(), 5);
});
