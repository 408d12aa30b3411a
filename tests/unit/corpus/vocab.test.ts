import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildVocab, countChars, decode, encode, vocabFromChars } from '../../../lib/corpus/vocab.ts';

test('vocabulary is the sorted distinct code points, and encode/decode round-trip', () => {
  const text = 'banana “quote” 😀!';
  const v = buildVocab(text);
  assert.deepEqual(v.chars, [...new Set(Array.from(text))].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0)));
  const ids = encode(text, v);
  assert.equal(ids.length, countChars(text));
  assert.equal(ids.length, Array.from(text).length); // the emoji is one character, not two
  assert.equal(decode(ids, v), text);
});

test('encode names the first character missing from the vocabulary', () => {
  const v = buildVocab('abc');
  assert.throws(() => encode('abxc', v), /"x" at offset 2/);
});

test('duplicate characters are refused', () => {
  assert.throws(() => vocabFromChars(['a', 'a']), /duplicate/);
});
