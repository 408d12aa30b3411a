import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../../../lib/tf/backend.ts';
import { buildVocab, encode } from '../../../lib/corpus/vocab.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { trainCharModel } from '../../../lib/train/trainer.ts';

// Speed must not change the maths: the same run on the fused kernels and on the tfjs cells ends
// at the same validation loss (the kernels agree to ~1e-6 per step; over a run the two drift
// only by float rounding).
const text = readFileSync(join(process.cwd(), '..', 'shared', 'corpora', 'tinyshakespeare.txt'), 'utf8').slice(0, 60_000);
const vocab = buildVocab(text);
const ids = encode(text, vocab);

for (const arch of ['lstm', 'gru', 'irnn', 'rhn'] as const) {
  test(`${arch}: fused and tfjs engines reach the same validation loss after the same steps`, async () => {
    await ensureBackend();
    const results = [];
    for (const engine of ['fused', 'tfjs'] as const) {
      const config = parseTrainConfig({ arch, layers: 2, hidden: 32, batch: 8, seq: 16, steps: 60, learningRate: 0.01, evalEvery: 60, checkpointEvery: 1000, evalChars: 4000, seed: 4, engine });
      results.push(await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds: ids.subarray(0, 50_000), valIds: ids.subarray(50_000) }));
    }
    const [fused, tfjs] = results;
    assert.equal(fused?.engine, 'fused');
    assert.equal(tfjs?.engine, 'tfjs');
    const start = Math.log2(vocab.chars.length);
    assert.ok((fused?.valBpc ?? NaN) < start - 0.5, `the fused run learned (${fused?.valBpc} bpc from ${start.toFixed(2)})`);
    assert.ok(Math.abs((fused?.valBpc ?? NaN) - (tfjs?.valBpc ?? NaN)) < 0.02, `fused ${fused?.valBpc} vs tfjs ${tfjs?.valBpc} bpc`);
  });
}
