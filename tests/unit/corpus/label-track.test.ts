import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLabelTrack, labelUploadSchema } from '../../../lib/corpus/label-track.ts';

test('label spans become one label per character, unlabelled characters 0', () => {
  const t = buildLabelTrack({ name: 'speaker', spans: [{ start: 5, end: 7, label: 'B' }, { start: 0, end: 3, label: 'A' }, { start: 8, end: 9, label: 'A' }] }, 10);
  assert.deepEqual(t.names, ['', 'A', 'B']);
  assert.deepEqual(Array.from(t.tags), [1, 1, 1, 0, 0, 2, 2, 0, 1, 0]);
});

test('bad label uploads are refused naming the problem', () => {
  assert.throws(() => buildLabelTrack({ name: 'x', spans: [{ start: 0, end: 4, label: 'a' }, { start: 3, end: 5, label: 'b' }] }, 10), /span \[3, 5\) overlaps the span before it \(which ends at 4\)/);
  assert.throws(() => buildLabelTrack({ name: 'x', spans: [{ start: 8, end: 11, label: 'a' }] }, 10), /ends past the corpus \(10 characters\)/);
  assert.throws(() => buildLabelTrack({ name: 'x', spans: [{ start: 4, end: 4, label: 'a' }] }, 10), /is empty/);
  assert.throws(() => labelUploadSchema.parse({ name: '', spans: [] }), /name the track/);
  assert.throws(() => labelUploadSchema.parse({ name: 'x', spans: [{ start: 0, end: 1, label: '' }] }), /labels may not be empty/);
  assert.throws(() => labelUploadSchema.parse({ name: 'x', spans: [{ start: 0, end: 1, label: 'a', extra: 1 }] }));
});
