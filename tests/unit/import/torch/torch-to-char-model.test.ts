import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTorchStateDict } from '../../../../lib/import/torch/torch-archive.ts';
import { torchToCharModel, type TorchModelSpec } from '../../../../lib/import/torch/torch-to-char-model.ts';
import { computesForward, FORWARD, type Forward } from '../../../helpers/torch-forward.ts';
import { ensureBackend } from '../../../../lib/tf/backend.ts';
import { loadModel } from '../../../../lib/train/model-io.ts';
import { encodeNamedArrays } from '../../../../lib/train/weights-codec.ts';
import { layerName, stackOf } from '../../../../models/architectures.ts';
import { disposeModel } from '../../../../models/char-model.ts';
import { runWholeSequences } from '../../../../models/whole-sequence.ts';

// Issue 12: a PyTorch language model's state_dict, its architecture read from the parameter
// names, runs in Cellscope's own instrumented cells with the same numbers PyTorch computes: every
// layer's h (and an LSTM's c) after every step, and the next token's log-probabilities, against
// PyTorch's forward pass over the same tokens (tests/fixtures/torch/forward.json).
const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'torch');
const stateDict = (name: string) => readTorchStateDict(new Uint8Array(readFileSync(join(DIR, name))), name);

async function matchesTorch(file: string, spec: TorchModelSpec, summary: string): Promise<string[]> {
  const imported = torchToCharModel(stateDict(file), spec);
  assert.equal(imported.summary, summary);
  return computesForward(imported, FORWARD[file] as Forward, file);
}

test('an nn.Embedding → 2-layer nn.LSTM → nn.Linear language model computes PyTorch\'s h, c and log-probabilities', async () => {
  assert.deepEqual(await matchesTorch('lstm-lm.pt', {}, 'Embedding(12→5) → 2 × LSTM(16) → Linear(12)'), []);
});

test('a 2-layer nn.GRU (reset after the recurrent product, gates r z n) computes PyTorch\'s h', async () => {
  assert.deepEqual(await matchesTorch('gru-lm.pt', {}, 'Embedding(12→6) → 2 × GRU(20) → Linear(12)'), []);
});

test('a mixed stack of different sizes, nn.LSTM(24) then nn.GRU(16) (two modules in state_dict order): each layer its own cell, computing PyTorch\'s h and c', async () => {
  assert.deepEqual(await matchesTorch('mixed-lm.pt', {}, 'Embedding(12→6) → LSTM(24) → GRU(16) → Linear(12)'), []);
});

test('a sentiment classifier (nn.LSTM, then nn.Linear(20, 3) on the last state): with its 3 classes named, the class log-probabilities after every step are PyTorch\'s', async () => {
  const imported = torchToCharModel(stateDict('sentiment-lstm.pt'), {}, { classes: 3 });
  assert.equal(imported.summary, 'Embedding(12→6) → LSTM(20) → Linear(3 classes)');
  assert.deepEqual(await computesForward(imported, FORWARD['sentiment-lstm.pt'] as Forward, 'sentiment-lstm.pt'), []);
  assert.throws(() => torchToCharModel(stateDict('sentiment-lstm.pt')), /no module has a \[12, 20\] weight to read the last layer's 20 units out over the 12 tokens/);
  assert.throws(() => torchToCharModel(stateDict('sentiment-lstm.pt'), {}, { classes: 4 }), /no module has a \[4, 20\] weight .* over the 4 classes/);
});

test('a 2-layer bidirectional nn.LSTM: four layers, 0→ 0← 1→ 1← (each direction of layer 1 reads both of layer 0), computing PyTorch\'s h and c of every direction', async () => {
  await ensureBackend();
  const imported = torchToCharModel(stateDict('bilstm.pt'));
  assert.equal(imported.summary, 'Embedding(12→5) → 2 × BiLSTM(8) → no read-out');
  const stack = stackOf(imported.shape);
  assert.deepEqual(stack.map((l, i) => [layerName(stack, i), l.direction ?? 'forward', l.inputs]), [['0→', 'forward', []], ['0←', 'backward', []], ['1→', 'forward', [0, 1]], ['1←', 'backward', [0, 1]]]);
  const model = loadModel(imported.shape, encodeNamedArrays(imported.weights));
  const want = FORWARD['bilstm.pt'] as Forward;
  // Two sequences at once, the second shorter: a backward direction starts from each one's own end.
  const { quantities } = runWholeSequences(model, [Int32Array.from(want.ids), Int32Array.from(want.ids.slice(0, 5))]);
  let worst = 0;
  want.layers.forEach((layer, l) => {
    for (const q of ['h', 'c'] as const) {
      const got = quantities[l]?.[model.layers[l]?.cell.quantities.indexOf(q) ?? -1] as Float32Array;
      layer[q]?.forEach((row, t) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs((got[(t * 2 + 0) * 8 + j] as number) - v)))));
    }
  });
  assert.ok(worst < 1e-5, `every direction's states within 1e-5 of PyTorch's, worst ${worst}`);
  // The short sequence's backward direction read its own 5 tokens right to left: its value at
  // position 0 differs from the long one's, which had read 18.
  const bwd = quantities[1]?.[model.layers[1]?.cell.quantities.indexOf('h') ?? -1] as Float32Array;
  assert.notDeepEqual(Array.from(bwd.subarray(8, 16)), Array.from(bwd.subarray(0, 8)));
  disposeModel(model);
  assert.throws(() => torchToCharModel(stateDict('bilstm.pt'), {}, { classes: 2 }), /a bidirectional classifier is not imported yet/);
});

test('an nn.RNN with ReLU on one-hot input: the spec says the nonlinearity; without it tanh is assumed, and said', async () => {
  assert.deepEqual(await matchesTorch('relu-rnn.pt', { nonlinearity: 'relu' }, 'one-hot(12) → RNN(16, relu) → Linear(12)'), []);
  const guessed = torchToCharModel(stateDict('relu-rnn.pt'));
  assert.equal(guessed.summary, 'one-hot(12) → RNN(16, tanh) → Linear(12)');
  assert.match(guessed.warnings.join(' '), /nonlinearity is not in its weights: tanh was assumed/);
});

test('what cannot be imported yet, or is not a language model, is refused naming the key', () => {
  assert.throws(() => torchToCharModel(stateDict('lstm-proj.pt')), /weight_hr_l0: an LSTM with proj_size is not supported/);
  const lm = stateDict('lstm-lm.pt');
  const withExtra = new Map([...lm, ['norm.running_mean', { dtype: 'float32' as const, shape: [16], data: new Float32Array(16) }]]);
  assert.throws(() => torchToCharModel(withExtra), /holds norm\.running_mean, which no part of a recurrent language model uses/);
  const twoHeads = new Map([...lm, ['aux.weight', lm.get('head.weight') as never], ['aux.bias', lm.get('head.bias') as never]]);
  assert.throws(() => torchToCharModel(twoHeads), (e: unknown) => e instanceof Error && /head and aux could each be the read-out/.test(e.message) && (e as { field?: string }).field === 'spec');
  assert.throws(() => torchToCharModel(twoHeads, { head: 'aux' }), /holds head\.weight, head\.bias, which no part/);
  const nan = new Map(lm);
  const w = lm.get('rnn.weight_hh_l1') as { dtype: 'float32'; shape: number[]; data: Float32Array };
  nan.set('rnn.weight_hh_l1', { ...w, data: Float32Array.from(w.data, (v, i) => (i === 5 ? NaN : v)) });
  assert.throws(() => torchToCharModel(nan), /rnn\.weight_hh_l1 holds NaN at element 5: weights must be finite/);
  assert.throws(() => torchToCharModel(new Map([['fc.weight', w]])), /no nn\.LSTM, nn\.GRU or nn\.RNN/);
});
