import { test } from 'node:test';
import assert from 'node:assert/strict';
import { abridge } from '../../../components/views/match-list.tsx';

test('match snippets: short texts whole, long ones by both ends around an ellipsis', () => {
  assert.equal(abridge('Second'), 'Second');
  const long = 'a'.repeat(30) + 'b'.repeat(30);
  assert.equal(abridge(long), `${'a'.repeat(22)}…${'b'.repeat(22)}`);
  assert.equal([...abridge('“'.repeat(60))].length, 45, 'counted in characters, not UTF-16 units');
});
