import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchStateFromParams, paramsFromMatchState } from '../../../lib/stores/match-url.ts';

const lstm = { units: 16, quantities: ['c', 'h', 'i', 'f', 'o', 'g'] };
const rec = { start: 100, end: 1000, stack: [lstm, lstm] };

test('match view state round-trips through the URL', () => {
  const s = { layer: 1, quantity: 'c' as const, threshold: 0.5, start: 200, end: 206, from: 190, offBefore: false, offAfter: true, cells: [3, 7], sameLength: true, minLength: 3, maxLength: 30, mode: 'soft' as const };
  assert.deepEqual(matchStateFromParams(paramsFromMatchState(s), rec), s);
});

test('malformed or out-of-range parameters fall back to defaults, clamped to the recording', () => {
  const s = matchStateFromParams(new URLSearchParams('layer=9&q=i&t=0.35&s=50&e=60&from=abc&cells=1,x,99,1'), rec);
  assert.deepEqual(s, { layer: 0, quantity: 'h', threshold: 0.3, start: null, end: null, from: 100, offBefore: true, offAfter: false, cells: [1], sameLength: false, minLength: null, maxLength: null, mode: 'threshold' });
  const b = matchStateFromParams(new URLSearchParams('s=995&e=999'), rec);
  assert.equal(b.from, 920, 'the window ends at the recording end');
  assert.equal(matchStateFromParams(new URLSearchParams('s=300&e=290'), rec).start, null);
});

test('a mixed stack: the layer\'s own quantities and cells bound the URL (a GRU layer has no c)', () => {
  const mixed = { start: 100, end: 1000, stack: [lstm, { units: 8, quantities: ['h', 'z', 'r', 'n'] }] };
  const s = matchStateFromParams(new URLSearchParams('layer=1&q=c&cells=2,9'), mixed);
  assert.deepEqual([s.layer, s.quantity, s.cells], [1, 'h', [2]]);
});
