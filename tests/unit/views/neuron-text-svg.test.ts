import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neuronFigureSvg } from '../../../components/views/neuron-text-svg.ts';

test('the neuron figure: one coloured box per character and per strip row, text escaped, lines wrapped at newlines', () => {
  const chars = [...'a<b&\nc"d'];
  const f = neuronFigureSvg({ title: 'L0 c[3] <test>', chars, primary: chars.map((_, k) => k / 10 - 0.3), strips: [{ kind: 'feature', label: 'quote', values: chars.map(() => 1) }, { kind: 'gate', label: 'f[3]', values: chars.map(() => 0.5) }] });
  assert.match(f.markup, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((f.markup.match(/<rect /g) ?? []).length, 1 + chars.length * 3, 'background + (cell + 2 strips) per character');
  assert.ok(f.markup.includes('&lt;test&gt;') && f.markup.includes('>&lt;<') && f.markup.includes('>&amp;<') && f.markup.includes('>&quot;<'));
  assert.ok(!/<text[^>]*>\s*<\/text>/.test(f.markup), 'no empty labels');
  // Two lines (the newline ends the first): the second starts back at the left.
  const ys = [...f.markup.matchAll(/<rect x="4\.0" y="(\d+)" width/g)].map((m) => Number(m[1]));
  assert.equal(new Set(ys).size >= 2, true);
  const words = neuronFigureSvg({ title: 'w', chars: ['the', 'cat'], primary: [0.5, -0.5], strips: [], words: true });
  assert.ok(words.markup.includes('>the<') && words.markup.includes('>cat<'));
  assert.ok(words.width >= 200 && words.height > 24);
});
