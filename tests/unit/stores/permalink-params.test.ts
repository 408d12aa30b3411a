import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepPermalinkParams } from '../../../lib/stores/permalink-params.ts';

test('a view rewriting its URL keeps the permalink\'s run, checkpoint and corpus, and adds none that were not there', () => {
  const next = new URLSearchParams({ layer: '1', q: 'c', cell: '3' });
  assert.equal(keepPermalinkParams(next, '?layer=0&cell=0&run=9999&checkpoint=4&corpus=2').toString(), 'layer=1&q=c&cell=3&run=9999&checkpoint=4&corpus=2');
  assert.equal(keepPermalinkParams(next, '?layer=0').toString(), 'layer=1&q=c&cell=3');
  assert.equal(next.toString(), 'layer=1&q=c&cell=3', 'the view\'s own parameters are not changed in place');
});
