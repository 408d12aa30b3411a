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

test('placeholder tokens: private-use code points, unique for every index, none for indices out of range', async () => {
  const { placeholderToken } = await import('../../../lib/corpus/vocab.ts');
  const ids = [0, 1, 6400, 65533, 65534, 131067];
  const tokens = ids.map(placeholderToken);
  assert.equal(new Set(tokens).size, ids.length);
  for (const t of tokens) {
    const cp = t.codePointAt(0) ?? 0;
    assert.ok((cp >= 0xf0000 && cp <= 0xffffd) || (cp >= 0x100000 && cp <= 0x10fffd), cp.toString(16));
  }
  assert.throws(() => placeholderToken(131068), /no placeholder/);
  assert.throws(() => placeholderToken(-1), /no placeholder/);
});
