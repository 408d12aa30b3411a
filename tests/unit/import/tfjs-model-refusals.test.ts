import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { tfjsToCharModel } from '../../../lib/import/tfjs-to-char-model.ts';
import { saveTfjsModel } from '../../helpers/tfjs-model-files.ts';

type Json = Record<string, unknown>;
const V = 6;

async function saved(build: (m: tf.Sequential) => void): Promise<{ json: Json; files: Map<string, Uint8Array> }> {
  await ensureBackend();
  const m = tf.sequential();
  build(m);
  const { modelJson, files } = await saveTfjsModel(m);
  m.dispose();
  return { json: JSON.parse(JSON.stringify(modelJson)) as Json, files };
}

const layersOf = (json: Json): { class_name: string; config: Json }[] => ((json.modelTopology as Json).config as Json).layers as { class_name: string; config: Json }[];

test('a layer Cellscope cannot instrument is refused, naming the layer and its class', async () => {
  const { json, files } = await saved((m) => {
    m.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 16, returnSequences: true }), mergeMode: 'sum', inputShape: [null, V] }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  });
  assert.throws(() => tfjsToCharModel(json, files), /layer 'bidirectional\w*' \(Bidirectional\) merges its directions by sum; Cellscope reads merge_mode concat/);
  const conv = await saved((m) => {
    m.add(tf.layers.conv1d({ filters: 4, kernelSize: 2, inputShape: [null, V] }));
    m.add(tf.layers.lstm({ units: 16 }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  });
  assert.throws(() => tfjsToCharModel(conv.json, conv.files), /\(Conv1D\) cannot be instrumented/);
});

test('weight files that do not match model.json are refused, naming the weight or the file', async () => {
  const { json, files } = await saved((m) => {
    m.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, V] }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  });
  const bin = files.get('group1-shard1of1.bin') as Uint8Array;
  assert.throws(() => tfjsToCharModel(json, new Map([['group1-shard1of1.bin', bin.subarray(0, bin.byteLength - 40)]])), /weight \S+ \(shape \[[\d, ]+\]\) runs past the end of group1-shard1of1.bin/);
  assert.throws(() => tfjsToCharModel(json, new Map([['group1-shard1of1.bin', new Uint8Array(bin.byteLength + 8)]])), /hold \d+ bytes but model.json's weights take \d+/);
  assert.throws(() => tfjsToCharModel(json, new Map()), /weight file group1-shard1of1.bin \(named in model.json\) was not uploaded/);
  // NaN and infinite weights are a 400 naming the weight (issue 11, finding 20), not a database error.
  for (const value of [NaN, Infinity]) {
    const poisoned = bin.slice();
    new DataView(poisoned.buffer).setFloat32(8, value, true);
    assert.throws(() => tfjsToCharModel(json, new Map([['group1-shard1of1.bin', poisoned]])), new RegExp(`weight \\S+ holds ${value} at index 2: weights must be finite numbers`));
  }
  // A manifest shape that disagrees with the layer's configuration names the weight.
  const bad = JSON.parse(JSON.stringify(json)) as Json;
  const specs = ((bad.weightsManifest as Json[])[0] as Json).weights as { name: string; shape: number[] }[];
  const kernel = specs.find((w) => /lstm.*\/kernel$/.test(w.name) && !/recurrent/.test(w.name));
  assert.ok(kernel);
  kernel.shape = [V * 4, 16];
  assert.throws(() => tfjsToCharModel(bad, files), new RegExp(`weight ${kernel.name.replace(/[/]/g, '\\/')} has shape \\[24, 16\\] but 'lstm\\w*' \\(LSTM, 16 units on 6 inputs\\) needs \\[6, 64\\]`));
});

test('absurd sizes are refused from model.json alone, before any weight is read', async () => {
  const { json } = await saved((m) => {
    m.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, V] }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  });
  const huge = JSON.parse(JSON.stringify(json)) as Json;
  const l0 = layersOf(huge)[0] as { config: Json };
  l0.config.units = 1_000_000_000;
  // No weight files at all: the size check comes first.
  assert.throws(() => tfjsToCharModel(huge, new Map()), /units is 1,000,000,000, over the 1,024 Cellscope takes/);
  const manifestHuge = JSON.parse(JSON.stringify(json)) as Json;
  (((manifestHuge.weightsManifest as Json[])[0] as Json).weights as { shape: number[] }[])[0]!.shape = [100_000, 100_000];
  assert.throws(() => tfjsToCharModel(manifestHuge, new Map()), /declare over 100,000,000 parameters/);
});

test('a layer whose weights do not fit the layer below is named; the output must be a softmax over the input vocabulary', async () => {
  const sizes = await saved((m) => {
    m.add(tf.layers.lstm({ units: 32, returnSequences: true, inputShape: [null, V] }));
    m.add(tf.layers.lstm({ units: 16, returnSequences: true }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  });
  // A model.json edited to say the first layer has 24 units: its weights no longer fit.
  const first = layersOf(sizes.json).find((l) => l.config.units === 32);
  assert.ok(first, 'the saved topology lists the 32-unit LSTM');
  first.config.units = 24;
  assert.throws(() => tfjsToCharModel(sizes.json, sizes.files), /has shape \[6, 128\] but '\w+' \(LSTM, 24 units on 6 inputs\) needs \[6, 96\]/);
  const wrongOut = await saved((m) => {
    m.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, V] }));
    m.add(tf.layers.dense({ units: V + 1, activation: 'softmax' }));
  });
  assert.throws(() => tfjsToCharModel(wrongOut.json, wrongOut.files), /has 7 units but the model reads a vocabulary of 6/);
  const linear = await saved((m) => {
    m.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, V] }));
    m.add(tf.layers.dense({ units: V }));
  });
  assert.throws(() => tfjsToCharModel(linear.json, linear.files), /is linear with no softmax after it/);
  assert.throws(() => tfjsToCharModel({ format: 'graph-model' }, new Map()), /no modelTopology/);
});
