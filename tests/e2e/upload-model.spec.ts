import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, recordAndOpenNeuronView, shakespeareSlice, test, uploadCorpus } from './fixtures';

/** A small LSTM saved as model.save writes it (model.json + one .bin), with its vocabulary map. */
async function savedModelFolder(chars: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cellscope-model-'));
  const V = chars.length;
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, V] }));
  model.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: a.modelTopology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify(Object.fromEntries(chars.map((c, k) => [c, k]))));
  return dir;
}

test('upload a saved TensorFlow.js model through the UI, record it and open its neuron view', async ({ page }, testInfo) => {
  const corpus = shakespeareSlice(20_000);
  // The model's own order of the characters: reversed, not Cellscope's sorted one.
  const chars = [...new Set(corpus.buffer.toString('utf8'))].sort().reverse();
  const dir = await savedModelFolder(chars);
  await uploadCorpus(page, corpus);
  // A model.json without its weights is refused, naming the missing file.
  await page.getByTestId('model-files').setInputFiles([join(dir, 'model.json')]);
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-error')).toContainText('weight file group1-shard1of1.bin (named in model.json) was not uploaded');
  await page.getByTestId('model-files').setInputFiles([join(dir, 'model.json'), join(dir, 'group1-shard1of1.bin')]);
  await page.getByTestId('model-vocab').setInputFiles(join(dir, 'vocab.json'));
  await page.getByTestId('model-name').fill('my keras lstm');
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-result')).toContainText(`one-hot(${chars.length}) → LSTM(16, hard_sigmoid gates) → Dense softmax(${chars.length})`);
  await expect(page.getByTestId('model-result')).toContainText('bits per character');
  await page.screenshot({ path: testInfo.outputPath('upload-model.png'), fullPage: true });
  await page.getByTestId('open-uploaded-run').click();
  await page.waitForURL(/\/runs\/\d+$/);
  await expect(page.getByTestId('run-title')).toHaveText('my keras lstm');
  await expect(page.getByTestId('uploaded-model')).toContainText('bits/char');
  await recordAndOpenNeuronView(page, 3_000);
  await expect(page.getByTestId('view-caption')).toContainText('cell 0');
  await expect(page.getByTestId('neuron-text').locator('.nt-pred').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('uploaded-neurons.png') });
  // A permalink names the run, checkpoint and corpus with the view state; opened against other
  // data it says so.
  await page.getByTestId('permalink').click();
  const link = await page.getByTestId('permalink-url').inputValue();
  expect(link).toMatch(/[?&]layer=0&q=\w+&cell=0.*&run=\d+&checkpoint=\d+&corpus=\d+/);
  await page.goto(link);
  await expect(page.getByTestId('permalink-mismatch')).toHaveCount(0);
  await page.goto(link.replace(/run=\d+/, 'run=9999'));
  await expect(page.getByTestId('permalink-mismatch')).toContainText('made for run 9999');
});

test('upload a PyTorch state_dict (.pt) and a Keras 3 .keras through the UI: a pickle that runs code is refused, the models are understood, a mixed LSTM → GRU .pt recorded, and its GRU layer 1 opens in the neuron view', async ({ page }, testInfo) => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'torch');
  // Twelve characters: the fixture language model reads twelve tokens. The corpus is a set of
  // labelled sequences (JSONL), each read from a fresh state.
  const jsonl = Array.from({ length: 40 }, (_, k) => JSON.stringify(k % 2 ? { text: 'kjihgfedcba '.repeat(5), label: 'down' } : { text: 'abcdefghijk '.repeat(5), label: 'up' })).join('\n');
  await page.goto('/');
  await page.getByTestId('corpus-sequences-flag').check();
  await page.getByTestId('file-input').setInputFiles({ name: 'twelve.jsonl', mimeType: 'application/json', buffer: Buffer.from(jsonl) });
  await page.waitForURL(/\/corpora\/\d+$/);
  await expect(page.getByTestId('corpus-sequences')).toContainText('40');
  await page.screenshot({ path: testInfo.outputPath('sequence-corpus.png') });
  await page.getByTestId('model-files').setInputFiles(join(fixtures, 'evil.pt'));
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-error')).toContainText('calls posix.system, which a state_dict never holds: refused');
  await page.getByTestId('model-files').setInputFiles(join(fixtures, 'lstm-lm.pt'));
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-result')).toContainText('Embedding(12→5) → 2 × LSTM(16) → Linear(12)');
  await page.getByTestId('model-result').screenshot({ path: testInfo.outputPath('upload-pytorch.png') });
  // A Keras 3 file through the same form: understood before anything else is asked.
  await page.getByTestId('model-files').setInputFiles(join(fixtures, 'gru-lm.keras'));
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-result')).toContainText('Embedding(12→6) → 2 × GRU(20, reset_after) → Dense softmax(12)');
  // A mixed stack: an LSTM of 24 cells under a GRU of 16, each layer recorded with its own cells.
  await page.getByTestId('model-files').setInputFiles(join(fixtures, 'mixed-lm.pt'));
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-result')).toContainText('Embedding(12→6) → LSTM(24) → GRU(16) → Linear(12)');
  await page.getByTestId('open-uploaded-run').click();
  await page.waitForURL(/\/runs\/\d+$/);
  await expect(page.getByTestId('run-stack')).toHaveText('LSTM(24) → GRU(16)');
  await recordAndOpenNeuronView(page, 2_000);
  await expect(page.getByTestId('recording-layers')).toHaveText('LSTM 24 → GRU 16 cells');
  await page.goto(`${page.url().split('?')[0]}?layer=0&q=c&cell=20`);
  await expect(page.getByTestId('view-caption')).toContainText('Layer 0 (LSTM, 24 cells) · cell state c · cell 20');
  // An unbounded cell state coloured as its output gate sees it, tanh(c); the URL keeps it.
  await page.getByTestId('toggle-tanh').check();
  await expect(page.getByTestId('view-caption')).toContainText('cell state c, coloured by tanh(c) · cell 20');
  await expect(page).toHaveURL(/[?&]tanh=1/);
  await page.getByTestId('toggle-tanh').uncheck();
  // To the GRU layer: it has no c (h is shown instead) and 16 cells (cell 20 becomes 15).
  await page.getByTestId('pick-layer').selectOption('1');
  await expect(page.getByTestId('view-caption')).toContainText('Layer 1 (GRU, 16 cells) · hidden state h · cell 15');
  await expect(page.getByTestId('pick-quantity').locator('option')).toHaveText([/^h/, /^z/, /^r/, /^n/]);
  await page.getByTestId('pick-quantity').selectOption('z');
  await expect(page.getByTestId('view-caption')).toContainText('update gate z · cell 15');
  await expect(page.getByTestId('neuron-text').locator('.nt-ch').first()).toBeVisible();
  // Every 60 characters a sequence starts: a rule marks it (the first window holds 1,000 characters).
  await expect(page.getByTestId('neuron-text').locator('.nt-row:not(.nt-strip):not(.nt-pred) .nt-ch.seq-start')).toHaveCount(17);
  await page.screenshot({ path: testInfo.outputPath('pytorch-layer1-neurons.png') });
});

test('upload a sentiment classifier (.pt) with its class names: its accuracy on labelled sequences, then the class probabilities drawn under the text as it reads', async ({ page }, testInfo) => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'torch');
  const dir = mkdtempSync(join(tmpdir(), 'cellscope-classifier-'));
  const classes = join(dir, 'classes.json');
  writeFileSync(classes, JSON.stringify(['negative', 'neutral', 'positive']));
  const vocab = join(dir, 'vocab.json');
  writeFileSync(vocab, JSON.stringify(Object.fromEntries([...'abcdefghijkl'].map((c, k) => [c, k]))));
  const jsonl = Array.from({ length: 30 }, (_, k) => JSON.stringify({ text: 'abcdefghijkl'.slice(k % 5, 12 - (k % 3)).repeat(2), label: ['negative', 'neutral', 'positive'][k % 3] })).join('\n');
  await page.goto('/');
  await page.getByTestId('corpus-sequences-flag').check();
  await page.getByTestId('file-input').setInputFiles({ name: 'reviews.jsonl', mimeType: 'application/json', buffer: Buffer.from(jsonl) });
  await page.waitForURL(/\/corpora\/\d+$/);
  await page.getByTestId('model-files').setInputFiles(join(fixtures, 'sentiment-lstm.pt'));
  await page.getByTestId('model-vocab').setInputFiles(vocab);
  await page.getByTestId('model-classes').setInputFiles(classes);
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-result')).toContainText('Embedding(12→6) → LSTM(20) → Linear(3 classes)');
  await expect(page.getByTestId('model-result')).toContainText(/classes negative, neutral, positive; \d+\.\d% right on this corpus's 30 labelled sequences/);
  await page.getByTestId('open-uploaded-run').click();
  await page.waitForURL(/\/runs\/\d+$/);
  await expect(page.getByTestId('run-classes')).toHaveText('a classifier of 3 classes: negative, neutral, positive');
  await recordAndOpenNeuronView(page, 400);
  await expect(page.getByTestId('strip-legend')).toContainText('p(negative), p(neutral), p(positive)');
  await expect(page.getByTestId('class-strip').first()).toBeVisible();
  await page.getByTestId('neuron-text').locator('.nt-row:not(.nt-strip):not(.nt-pred) .nt-ch').nth(5).hover();
  await expect(page.getByTestId('neuron-tooltip')).toContainText("p(the sequence's label)");
  await page.screenshot({ path: testInfo.outputPath('classifier-neurons.png') });
  // Its saliency: of the class it predicts, or one chosen from its classes.
  await page.goto(`${page.url().split('?')[0]}/saliency?pos=20`);
  await expect(page.getByTestId('saliency-target-class')).toBeVisible();
  await expect(page.getByText(', the class it predicts) / d input')).toBeVisible();
  await expect(page.getByTestId('decay-caption')).toContainText('which a classifier does not make');
  await page.screenshot({ path: testInfo.outputPath('classifier-saliency.png') });
});

test('upload a bidirectional LSTM (.pt): four layers 0→ 0← 1→ 1←, the backward ones said to read right to left, and no predictions, said so', async ({ page }, testInfo) => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'torch');
  await uploadCorpus(page, { name: 'twelve-bi.txt', mimeType: 'text/plain', buffer: Buffer.from('abcdefghijkl'.repeat(30) + 'lkjihgfedcba'.repeat(30)) });
  await page.getByTestId('model-files').setInputFiles(join(fixtures, 'bilstm.pt'));
  await page.getByTestId('model-upload').click();
  await expect(page.getByTestId('model-result')).toContainText('Embedding(12→5) → 2 × BiLSTM(8) → no read-out');
  await expect(page.getByTestId('model-result')).toContainText('a bidirectional model predicts no next character');
  await page.getByTestId('open-uploaded-run').click();
  await page.waitForURL(/\/runs\/\d+$/);
  await recordAndOpenNeuronView(page, 600);
  await expect(page.getByTestId('bidirectional-note')).toHaveText('bidirectional: read in windows of 256 characters, each on its own; no predictions, no saliency');
  await expect(page.getByTestId('pick-layer').locator('option')).toHaveText(['0→', '0←', '1→', '1←']);
  await page.getByTestId('pick-layer').selectOption('3');
  await expect(page.getByTestId('view-caption')).toContainText('Layer 1← (LSTM, 8 cells, read right to left)');
  await expect(page.getByTestId('toggle-predictions')).toBeDisabled();
  await expect(page.getByText('no predictions (a bidirectional model has read the next character)')).toBeVisible();
  await expect(page.getByTestId('neuron-text').locator('.nt-pred')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('bidirectional-neurons.png') });
});
