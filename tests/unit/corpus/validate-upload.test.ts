import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorpusValidationError, decodeCorpusUpload } from '../../../lib/corpus/validate-upload.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('plain UTF-8 text is accepted, BOM dropped', () => {
  assert.equal(decodeCorpusUpload(enc('hello\nworld')), 'hello\nworld');
  assert.equal(decodeCorpusUpload(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('hé')])), 'hé');
});

test('empty, whitespace-only, binary and non-UTF-8 files are refused with a clear message', () => {
  assert.throws(() => decodeCorpusUpload(new Uint8Array()), (e: unknown) => e instanceof CorpusValidationError && /empty/.test(e.message));
  assert.throws(() => decodeCorpusUpload(enc('  \n\t ')), /whitespace/);
  assert.throws(() => decodeCorpusUpload(new Uint8Array([0x41, 0x00, 0x42])), /binary: NUL byte at offset 1/);
  assert.throws(() => decodeCorpusUpload(new Uint8Array([0x41, 0x42, 0xff, 0x43])), /not valid UTF-8.*offset 2/);
  const controls = new Uint8Array(200).map((_, k) => (k % 3 === 0 ? 0x01 : 0x41));
  assert.throws(() => decodeCorpusUpload(controls), /binary: \d+ control characters/);
});

test('the size limit is enforced before decoding', () => {
  assert.throws(() => decodeCorpusUpload(enc('x'.repeat(2048)), 1024), /over the 0 MB upload limit|upload limit/);
});
