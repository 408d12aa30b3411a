import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { tfjsToCharModel } from '../../../lib/import/tfjs-to-char-model.ts';
import { loadModel } from '../../../lib/train/model-io.ts';
import { encodeNamedArrays } from '../../../lib/train/weights-codec.ts';
import { disposeModel, oneHotRows, stackOf, outputLogits, stackStep, zeroStates, type CharModel } from '../../../models/char-model.ts';
import { saveTfjsModel } from '../../helpers/tfjs-model-files.ts';
import { runWholeSequences } from '../../../models/whole-sequence.ts';

const V = 7;
const T = 9;
const B = 2;
const ids = Array.from({ length: B * T }, (_, k) => (k * 5 + 2) % V);

/** Our instrumented model's softmax at every step, [B][T][V]. */
function ourProbabilities(model: CharModel): number[][][] {
  const out: number[][][] = Array.from({ length: B }, () => []);
  tf.tidy(() => {
    let states = zeroStates(model, B);
    for (let t = 0; t < T; t++) {
      const step = stackStep(model, oneHotRows(Int32Array.from({ length: B }, (_, b) => ids[b * T + t] ?? 0), V), states);
      states = step.states;
      const p = tf.softmax(outputLogits(model, step.top)).arraySync();
      p.forEach((row, b) => out[b]?.push(row));
    }
  });
  return out;
}

async function roundTrip(build: () => tf.LayersModel, input: 'one-hot' | 'ids', lastOnly = false, readout: { classes?: number } = {}): Promise<{ worst: number; summary: string; warnings: string[] }> {
  await ensureBackend();
  const keras = build();
  // Larger weights than the initialisers give: peaked softmaxes, so a wrong gate or a wrong
  // weight shows far above the tolerance.
  keras.setWeights(keras.getWeights().map((w) => tf.mul(w, 2.5)));
  const x = input === 'ids' ? tf.tensor2d(ids, [B, T]) : tf.oneHot(tf.tensor2d(ids, [B, T], 'int32'), V).toFloat();
  const want = (keras.predict(x) as tf.Tensor).arraySync() as number[][][] | number[][];
  const { modelJson, files } = await saveTfjsModel(keras);
  const imported = tfjsToCharModel(JSON.parse(JSON.stringify(modelJson)) as Record<string, unknown>, files, readout);
  const model = loadModel(imported.shape, encodeNamedArrays(imported.weights));
  const got = ourProbabilities(model);
  let worst = 0;
  for (let b = 0; b < B; b++) {
    for (let t = lastOnly ? T - 1 : 0; t < T; t++) {
      const ref = lastOnly ? (want as number[][])[b] : (want as number[][][])[b]?.[t];
      got[b]?.[t]?.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (ref?.[k] ?? NaN)))));
    }
  }
  disposeModel(model);
  keras.dispose();
  x.dispose();
  return { worst, summary: imported.summary, warnings: imported.warnings };
}

test('two LSTM layers on one-hot input, TimeDistributed(Dense softmax), tfjs defaults (hard_sigmoid gates): equal to model.predict within 1e-5', async () => {
  const r = await roundTrip(() => {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 16, returnSequences: true, inputShape: [null, V] }));
    m.add(tf.layers.dropout({ rate: 0.3 }));
    m.add(tf.layers.lstm({ units: 16, returnSequences: true }));
    m.add(tf.layers.timeDistributed({ layer: tf.layers.dense({ units: V, activation: 'softmax' }) }));
    return m;
  }, 'one-hot');
  assert.ok(r.worst < 1e-5, `max |ours - predict| = ${r.worst}`);
  assert.equal(r.summary, 'one-hot(7) → 2 × LSTM(16, hard_sigmoid gates) → Dense softmax(7)');
});

test('Embedding into a GRU (sigmoid gates) and a Dense softmax over the sequence: the embedding folds into the first kernel', async () => {
  const r = await roundTrip(() => {
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: V, outputDim: 5, inputLength: T }));
    m.add(tf.layers.gru({ units: 16, returnSequences: true, recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
    return m;
  }, 'ids');
  assert.ok(r.worst < 1e-5, `max |ours - predict| = ${r.worst}`);
  assert.equal(r.summary, 'Embedding(7→5) → GRU(16) → Dense softmax(7)');
});

test('a mixed stack, LSTM(48) → GRU(40) → Dense (the model the first users could not bring): each layer its own kind, size and gates, equal to model.predict', async () => {
  const r = await roundTrip(() => {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 48, returnSequences: true, inputShape: [null, V] }));
    m.add(tf.layers.gru({ units: 40, returnSequences: true, recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
    return m;
  }, 'one-hot');
  assert.ok(r.worst < 1e-5, `max |ours - predict| = ${r.worst}`);
  assert.equal(r.summary, 'one-hot(7) → LSTM(48, hard_sigmoid gates) → GRU(40) → Dense softmax(7)');
});

test('SimpleRNN (relu) with a linear Dense and an Activation softmax; a last-step-only LSTM', async () => {
  const rnn = await roundTrip(() => {
    const m = tf.sequential();
    m.add(tf.layers.simpleRNN({ units: 16, activation: 'relu', returnSequences: true, inputShape: [null, V], kernelInitializer: 'glorotUniform', recurrentInitializer: 'glorotUniform' }));
    m.add(tf.layers.dense({ units: V }));
    m.add(tf.layers.activation({ activation: 'softmax' }));
    return m;
  }, 'one-hot');
  assert.ok(rnn.worst < 1e-5, `simple RNN: ${rnn.worst}`);
  const last = await roundTrip(() => {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 16, inputShape: [null, V], recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
    return m;
  }, 'one-hot', true);
  assert.ok(last.worst < 1e-5, `last step: ${last.worst}`);
  assert.match(last.warnings.join(' '), /returns only its last step/);
});

test('a Keras reset_after GRU: bias [2, 3·units] splits into the input and recurrent biases', async () => {
  await ensureBackend();
  const m = tf.sequential();
  m.add(tf.layers.gru({ units: 16, returnSequences: true, inputShape: [null, V] }));
  m.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  const { modelJson, files } = await saveTfjsModel(m);
  // As tensorflowjs_converter writes a Keras GRU(reset_after=True): the flag and a [2, 48] bias.
  const json = JSON.parse(JSON.stringify(modelJson)) as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } }; weightsManifest: { weights: { name: string; shape: number[] }[] }[] };
  const layerConfig = json.modelTopology.config.layers[0]?.config as Record<string, unknown>;
  layerConfig.reset_after = true;
  const specs = json.weightsManifest[0]?.weights ?? [];
  const biasSpec = specs.find((w) => w.name.endsWith('gru1/bias') || /gru.*\/bias$/.test(w.name));
  assert.ok(biasSpec);
  biasSpec.shape = [2, 48];
  const old = files.get('group1-shard1of1.bin') as Uint8Array;
  const floats = new Float32Array(old.buffer.slice(old.byteOffset, old.byteOffset + old.byteLength));
  const sizes = specs.map((w) => (w === biasSpec ? 48 : w.shape.reduce((a, b) => a * b, 1)));
  const at = sizes.slice(0, specs.indexOf(biasSpec)).reduce((a, b) => a + b, 0);
  const recurrentBias = Float32Array.from({ length: 48 }, (_, k) => 0.01 * k);
  const joined = new Float32Array(floats.length + 48);
  joined.set(floats.subarray(0, at + 48), 0);
  joined.set(recurrentBias, at + 48);
  joined.set(floats.subarray(at + 48), at + 96);
  const imported = tfjsToCharModel(json, new Map([['group1-shard1of1.bin', new Uint8Array(joined.buffer)]]));
  assert.equal(stackOf(imported.shape)[0]?.options?.resetAfter, true);
  const rb = imported.weights.find((w) => w.name === 'gru_0/recurrent_bias');
  assert.deepEqual(Array.from(rb?.data ?? []), Array.from(recurrentBias));
  assert.deepEqual(Array.from(imported.weights.find((w) => w.name === 'gru_0/bias')?.data ?? []), Array.from(floats.subarray(at, at + 48)));
  const model = loadModel(imported.shape, encodeNamedArrays(imported.weights));
  assert.equal(model.layers[0]?.extras[0]?.[0], 'recurrent_bias');
  disposeModel(model);
  m.dispose();
});

test('a Keras classifier, LSTM(16, return_sequences=False) → Dense(3, softmax): with 3 classes named, the answer after the last step is model.predict\'s', async () => {
  const r = await roundTrip(() => {
    const m = tf.sequential();
    m.add(tf.layers.lstm({ units: 16, inputShape: [null, V], recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    return m;
  }, 'one-hot', true, { classes: 3 });
  assert.ok(r.worst < 1e-5, `max |ours - predict| = ${r.worst}`);
  assert.equal(r.summary, `one-hot(${V}) → LSTM(16) → Dense softmax(3 classes)`);
  assert.match(r.warnings.join(' '), /records every step and the class probabilities after each/);
});

test('Keras Bidirectional(LSTM) twice, then a Dense: four layers 0→ 0← 1→ 1←, each direction equal to Keras\'s own, the Dense left out', async () => {
  await ensureBackend();
  const keras = tf.sequential();
  keras.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 16, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.layers.RNN, inputShape: [null, V] }));
  keras.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 16, returnSequences: true, recurrentActivation: 'sigmoid' }) as tf.layers.RNN }));
  keras.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  keras.setWeights(keras.getWeights().map((w) => tf.mul(w, 2.5)));
  const x = tf.oneHot(tf.tensor2d(ids, [B, T], 'int32'), V).toFloat();
  // Keras's concatenated [forward h, backward h] after each layer.
  const byLayer = [0, 1].map((k) => (tf.model({ inputs: keras.inputs, outputs: keras.layers[k]?.output as tf.SymbolicTensor }).predict(x) as tf.Tensor).arraySync() as number[][][]);
  const { modelJson, files } = await saveTfjsModel(keras);
  const imported = tfjsToCharModel(JSON.parse(JSON.stringify(modelJson)) as Record<string, unknown>, files);
  assert.equal(imported.summary, `one-hot(${V}) → 2 × BiLSTM(16) → no read-out`);
  assert.match(imported.warnings.join(' '), /is left out: a bidirectional model has read the next character already/);
  const model = loadModel(imported.shape, encodeNamedArrays(imported.weights));
  const { quantities } = runWholeSequences(model, Array.from({ length: B }, (_, b) => Int32Array.from(ids.slice(b * T, (b + 1) * T))));
  let worst = 0;
  for (let l = 0; l < 4; l++) {
    const h = quantities[l]?.[model.layers[l]?.cell.quantities.indexOf('h') ?? -1] as Float32Array;
    const half = l % 2; // forward h first, then backward
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let j = 0; j < 16; j++) {
      const want = byLayer[l >> 1]?.[b]?.[t]?.[half * 16 + j] as number;
      worst = Math.max(worst, Math.abs((h[(t * B + b) * 16 + j] as number) - want));
    }
  }
  assert.ok(worst < 1e-5, `max |ours - Keras| over every direction = ${worst}`);
  disposeModel(model);
  keras.dispose();
  x.dispose();
});
