import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayChar, wrangleLines } from '../../../components/views/neuron-text.wrangle.ts';

test('lines end after a newline or at the width limit, and cover every character once', () => {
  const chars = Array.from('ab\ncdefg\n\nh');
  const lines = wrangleLines(chars, 3);
  assert.deepEqual(lines.map((l) => l.indices.map((k) => chars[k]).join('')), ['ab\n', 'cde', 'fg\n', '\n', 'h']);
  assert.deepEqual(lines.flatMap((l) => l.indices), chars.map((_, k) => k));
  assert.deepEqual(wrangleLines([]), []);
});

test('invisible characters get visible stand-ins', () => {
  assert.equal(displayChar('\n'), '↵');
  assert.equal(displayChar('\t'), '→');
  assert.equal(displayChar(' '), '\u00a0');
  assert.equal(displayChar('\u0001'), '·');
  assert.equal(displayChar('é'), 'é');
});
