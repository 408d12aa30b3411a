import { test } from 'node:test';
import assert from 'node:assert/strict';
import { POS_TAGS, posTrack } from '../../../lib/corpus/pos-track.ts';

const tagAt = (tags: Uint8Array, p: number): string => POS_TAGS[tags[p] ?? 0] ?? '?';

test('POS track: each character carries its token tag; spaces between tokens carry none', () => {
  const text = 'We proceed, and speak.\nAll: yes';
  const tags = posTrack(text);
  assert.equal(tags.length, [...text].length);
  assert.equal(tagAt(tags, 0), 'PRON'); // W
  assert.equal(tagAt(tags, 1), 'PRON'); // e
  assert.equal(tagAt(tags, 2), ''); // the space
  assert.equal(tagAt(tags, 3), 'VERB'); // p of proceed
  assert.equal(tagAt(tags, 10), 'PUNCT'); // ,
  assert.equal(tagAt(tags, text.indexOf('and')), 'CCONJ');
  assert.equal(tagAt(tags, text.indexOf('\n')), 'SPACE');
});

test('POS track positions count code points, across contractions and characters outside the BMP', () => {
  const text = "I can't 😀 stop now.";
  const tags = posTrack(text);
  assert.equal(tags.length, [...text].length);
  const chars = [...text];
  const now = chars.indexOf('n', chars.indexOf('p'));
  assert.notEqual(tagAt(tags, now), '', 'the word after the emoji is still tagged at its code point');
  assert.equal(tagAt(tags, chars.length - 1), 'PUNCT');
});
