import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, objectsToCsv, toCsv } from '../../../lib/export/table-export.ts';

test('CSV fields: commas, quotes and line breaks are quoted (quotes doubled); empty for null, undefined and non-finite numbers', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('\n'), '"\n"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(Number.NaN), '');
  assert.equal(csvField(0.25), '0.25');
  assert.equal(toCsv(['a', 'b'], [[1, 'x,y'], [2, null]]), 'a,b\n1,"x,y"\n2,\n');
});

test('objects to CSV: the chosen keys in order, nested values as JSON', () => {
  const rows = [{ pos: 3, char: ',', extra: { k: 1 }, skip: 'no' }];
  assert.equal(objectsToCsv(['pos', 'char', 'extra'], rows), 'pos,char,extra\n3,",","{""k"":1}"\n');
});

test('CSV formula injection: text starting with = + - @ (or a tab or CR) is kept as text; numbers are left alone (issue 11, finding 23)', () => {
  assert.equal(csvField('=HYPERLINK("http://evil.example","x")'), `"'=HYPERLINK(""http://evil.example"",""x"")"`);
  assert.equal(csvField('+1'), "'+1");
  assert.equal(csvField('-'), "'-");
  assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvField('\tx'), "'\tx");
  assert.equal(csvField(-0.5), '-0.5');
  assert.equal(csvField('a=b'), 'a=b');
});
