import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kerasH5AsTfjs } from '../../../lib/import/keras-h5.ts';
import { kerasArchiveAsTfjs } from '../../../lib/import/keras3.ts';
import { tfjsToCharModel } from '../../../lib/import/tfjs-to-char-model.ts';
import { computesBidirectionalForward, computesForward, FIXTURES, FORWARD, type Forward } from '../../helpers/torch-forward.ts';
import { ensureBackend } from '../../../lib/tf/backend.ts';

// Issue 12: Keras model files, legacy .h5 and Keras 3's .keras (model.save), read with h5wasm, no
// tensorflowjs_converter step: its model_config and model_weights become the TensorFlow.js
// importer's model.json and shard. The fixture holds the weights of the lstm-lm.pt fixture in
// Keras's layout (make_fixtures.py), so it must compute PyTorch's forward pass within 1e-5.
const file = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

test('a Keras 2 .h5 language model (Embedding, 2 × LSTM, Dense softmax) computes PyTorch\'s states and log-probabilities', async () => {
  const { modelJson, files } = await kerasH5AsTfjs(file('lstm-lm-keras2.h5'), 'lstm-lm-keras2.h5');
  const imported = tfjsToCharModel(modelJson, files);
  assert.equal(imported.summary, 'Embedding(12→5) → 2 × LSTM(16) → Dense softmax(12)');
  assert.deepEqual(await computesForward(imported, FORWARD['lstm-lm.pt'] as Forward, 'lstm-lm-keras2.h5'), []);
});

test('an HDF5 file that is not a whole Keras model is a 400 that says why', async () => {
  // An LSTMVis states file: HDF5, but no model_config.
  await assert.rejects(kerasH5AsTfjs(file('../hdf5-outside/fill-value.h5'), 'states.h5'), /states\.h5 has no model_config: it holds weights only/);
  await assert.rejects(kerasH5AsTfjs(new TextEncoder().encode('not hdf5'), 'x.h5'), /x\.h5 is not an HDF5 file/);
  // 9 KB whose weight is a fill-value dataset claiming 40 GB: refused from its shape, never read.
  await assert.rejects(kerasH5AsTfjs(file('keras2-fill-bomb.h5'), 'bomb.h5'), /bomb\.h5: weight model_weights\/dense\/dense\/kernel:0 claims shape \[100000, 100000\], more than the file could hold/);
});

test('a Keras 3 .keras file (config.json + model.weights.h5: Embedding, 2 × reset-after GRU, Dense) computes PyTorch\'s h and log-probabilities', async () => {
  const { modelJson, files } = await kerasArchiveAsTfjs(file('gru-lm.keras'), 'gru-lm.keras');
  const imported = tfjsToCharModel(modelJson, files);
  assert.equal(imported.summary, 'Embedding(12→6) → 2 × GRU(20, reset_after) → Dense softmax(12)');
  assert.deepEqual(await computesForward(imported, FORWARD['gru-lm.pt'] as Forward, 'gru-lm.keras'), []);
  // Not a Keras 3 file: a zip without its two parts, and not a zip at all.
  const { zipSync } = await import('fflate');
  await assert.rejects(kerasArchiveAsTfjs(zipSync({ 'config.json': new TextEncoder().encode('{}') }), 'half.keras'), /half\.keras is a zip without config\.json and model\.weights\.h5/);
  await assert.rejects(kerasArchiveAsTfjs(new TextEncoder().encode('nope'), 'nope.keras'), /zip/);
});

test('a Keras 3 .keras with two Bidirectional(LSTM) layers (forward_layer and backward_layer, go_backwards): four directions equal to PyTorch\'s, its Dense left out', async () => {
  await ensureBackend();
  const { modelJson, files } = await kerasArchiveAsTfjs(file('bilstm.keras'), 'bilstm.keras');
  const imported = tfjsToCharModel(modelJson, files);
  assert.equal(imported.summary, 'Embedding(12→5) → 2 × BiLSTM(8) → no read-out');
  computesBidirectionalForward(imported, FORWARD['bilstm.pt'] as Forward, 'bilstm.keras');
});
