import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../../../lib/tf/backend.ts';
import { buildVocab } from '../../../lib/corpus/vocab.ts';
import { createCharModel, disposeModel } from '../../../models/char-model.ts';
import { drawIndex, mulberry32, sampleText } from '../../../lib/train/sample.ts';

test('drawIndex follows the distribution (chi-square-free check on frequencies)', () => {
  const rand = mulberry32(3);
  const p = [0.1, 0.6, 0.3];
  const counts = [0, 0, 0];
  for (let k = 0; k < 20000; k++) counts[drawIndex(p, rand())]! += 1;
  counts.forEach((c, k) => assert.ok(Math.abs(c / 20000 - (p[k] ?? 0)) < 0.015, `index ${k}: ${c}`));
  assert.equal(drawIndex([0.5, 0.5], 0.999999), 1);
});

test('sampling is reproducible with a seed, uses only vocabulary characters, and checks the prime', async () => {
  await ensureBackend();
  const vocab = buildVocab('abc de\n');
  const model = createCharModel({ arch: 'lstm', layers: 1, hidden: 16, vocabSize: vocab.chars.length }, 9);
  const a = sampleText(model, vocab, { length: 50, temperature: 1, seed: 4 });
  const b = sampleText(model, vocab, { length: 50, temperature: 1, seed: 4 });
  assert.equal(a, b);
  assert.equal(Array.from(a).length, 50);
  for (const ch of a) assert.ok(vocab.index.has(ch));
  assert.notEqual(sampleText(model, vocab, { length: 50, temperature: 1, seed: 5 }), a);
  assert.throws(() => sampleText(model, vocab, { length: 5, temperature: 1, prime: 'xyz' }), /prime character "x"/);
  disposeModel(model);
});
