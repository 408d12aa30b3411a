// npm run bench:causal — issue 13's figure: the causal ranking (every cell of a layer ablated
// alone, lib/causal/causal-rank.ts ablationSweep) over N characters of tiny Shakespeare, for a
// 1x128 and a 1x512 LSTM, in characters x cells per second and the time for 100,000 characters.
// Flags: --chars N (default 20,000; the 100k figure is extrapolated from it, the work being linear),
// --small (the 1x128 model only).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBackend } from '../../lib/tf/backend.ts';
import { buildVocab, encode } from '../../lib/corpus/vocab.ts';
import { ablationSweep } from '../../lib/causal/causal-rank.ts';
import { createCharModel, disposeModel } from '../../models/char-model.ts';
import { kernels } from '../../models/fused/kernels.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const chars = arg('chars', 20_000);
await ensureBackend();
const text = readFileSync(join(process.cwd(), '..', 'shared', 'corpora', 'tinyshakespeare.txt'), 'utf8');
const vocab = buildVocab(text);
const ids = encode(text, vocab);
const quote = vocab.index.get('\n') as number;
console.log(`cellscope causal bench · ${kernels().threads} kernel threads · ${chars} chars of tiny Shakespeare, target "\\n"`);
for (const hidden of (process.argv.includes('--small') ? [128] : [128, 512])) {
  const model = createCharModel({ arch: 'lstm', layers: 1, hidden, vocabSize: vocab.chars.length }, 1);
  const start = 1000;
  const end = start + chars;
  const targets = Uint8Array.from({ length: chars }, (_, t) => (ids[start + t + 1] === quote ? 1 : 0));
  const t0 = performance.now();
  await ablationSweep({ model, ids, layer: 0, quantity: 'c', start, end, targets, sequenceStarts: null });
  const s = (performance.now() - t0) / 1000;
  const rate = (chars * hidden) / s;
  console.log(`  1x${hidden} LSTM: ${hidden} cells x ${chars} chars in ${s.toFixed(1)} s = ${(rate / 1e6).toFixed(2)}M cell-chars/s; 100,000 chars: ${((100_000 * hidden) / rate).toFixed(0)} s`);
  disposeModel(model);
}
