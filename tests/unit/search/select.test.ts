import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tracksOf } from './tracks-of.ts';
import { activeCells } from '../../../lib/search/select.ts';

test('select: cells on across the range, with the off-before and off-after toggles', () => {
  const { tracks } = tracksOf([
    '0111100', // 0: on [1, 5), off before and after
    '1111100', // 1: on before the range too
    '0111110', // 2: stays on after the range
    '0110000', // 3: not on throughout
  ]);
  assert.deepEqual(activeCells(tracks, 1, 5), [0, 1, 2]);
  assert.deepEqual(activeCells(tracks, 1, 5, { offBefore: true }), [0, 2]);
  assert.deepEqual(activeCells(tracks, 1, 5, { offBefore: true, offAfter: true }), [0]);
  assert.deepEqual(activeCells(tracks, 1, 3, { offBefore: true }), [0, 2, 3]);
});

test('select at the corpus edges: the missing step before 0 or after the end counts as off', () => {
  const { tracks } = tracksOf(['1100', '1111', '0011']);
  assert.deepEqual(activeCells(tracks, 0, 2, { offBefore: true, offAfter: true }), [0]);
  assert.deepEqual(activeCells(tracks, 2, 4, { offBefore: true, offAfter: true }), [2]);
  assert.deepEqual(activeCells(tracks, 0, 4, { offBefore: true, offAfter: true }), [1]);
});

test('select refuses ranges outside the recording', () => {
  const { tracks } = tracksOf(['1100']);
  assert.throws(() => activeCells(tracks, 2, 2), /range \[2, 2\)/);
  assert.throws(() => activeCells(tracks, -1, 2), RangeError);
  assert.throws(() => activeCells(tracks, 0, 5), /4 timesteps/);
});
