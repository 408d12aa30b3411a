import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOnnxGraph } from '../../../lib/import/onnx/onnx-graph.ts';
import { onnxToCharModel } from '../../../lib/import/onnx/onnx-to-char-model.ts';
import { computesBidirectionalForward, computesForward, FIXTURES, FORWARD, type Forward } from '../../helpers/torch-forward.ts';
import { ensureBackend } from '../../../lib/tf/backend.ts';

// Issue 12: ONNX language models as torch.onnx.export writes them (opset 14), decoded with
// protobuf.js through onnx-proto, computing PyTorch's own forward pass within 1e-5: the .onnx
// files hold the weights of the .pt fixtures (make_fixtures.py), so forward.json is their truth.
const onnxFile = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

for (const [file, pt, summary] of [
  ['lstm-lm.onnx', 'lstm-lm.pt', 'Embedding(12→5) → 2 × LSTM(16) → Linear(12)'],
  ['gru-lm.onnx', 'gru-lm.pt', 'Embedding(12→6) → 2 × GRU(20) → Linear(12)'],
  ['relu-rnn.onnx', 'relu-rnn.pt', 'one-hot(12) → RNN(16, relu) → Linear(12)'],
  ['mixed-lm.onnx', 'mixed-lm.pt', 'Embedding(12→6) → LSTM(24) → GRU(16) → Linear(12)'],
] as const) {
  test(`${file}: the graph's path read as ${summary}, computing PyTorch's states and log-probabilities`, async () => {
    const imported = onnxToCharModel(readOnnxGraph(onnxFile(file), file));
    assert.equal(imported.summary, summary);
    assert.deepEqual(await computesForward(imported, FORWARD[pt] as Forward, file), []);
  });
}

test('what is not an ONNX language model is a 400 that says why', () => {
  assert.throws(() => readOnnxGraph(new TextEncoder().encode('not protobuf at all, just text'), 'x.onnx'), /x\.onnx (is not an ONNX model|holds no graph)/);
  assert.throws(() => readOnnxGraph(onnxFile('lstm-lm.onnx').subarray(0, 3000), 'cut.onnx'), /cut\.onnx (is not an ONNX model|holds)/);
  const graph = readOnnxGraph(onnxFile('lstm-lm.onnx'));
  // A layer said to be bidirectional whose weights hold one direction; a direction ONNX lacks.
  const withDirection = (d: string) => ({ ...graph, nodes: graph.nodes.map((n) => (n.opType === 'LSTM' ? { ...n, attributes: new Map([...n.attributes, ['direction', d]]) } : n)) });
  assert.throws(() => onnxToCharModel(withDirection('bidirectional')), /LSTM node "\/rnn\/LSTM": W \[1, 64, 5\] and R \[1, 64, 16\] are not \[2, 4·hidden, inputs\]/);
  assert.throws(() => onnxToCharModel(withDirection('sideways')), /has direction sideways, not forward, reverse or bidirectional/);
  // An operator Cellscope does not instrument on the data path.
  const conv = { ...graph, nodes: graph.nodes.map((n) => (n.opType === 'Squeeze' ? { ...n, opType: 'Conv' } : n)) };
  assert.throws(() => onnxToCharModel(conv), /Conv node "\/rnn\/Squeeze" is on the path from the input to the output/);
  // A peephole LSTM, and weights that are not finite.
  const W = graph.tensors.get('onnx::LSTM_195');
  assert.ok(W);
  const nan = { ...graph, tensors: new Map([...graph.tensors, ['onnx::LSTM_195', { ...W, data: W.data.map((v, i) => (i === 2 ? Infinity : v)) }]]) };
  assert.throws(() => onnxToCharModel(nan), /R of LSTM node "\/rnn\/LSTM" holds Infinity at element 2: weights must be finite/);
  const twoInputs = { ...graph, inputs: ['input', 'h0'] };
  assert.throws(() => onnxToCharModel(twoInputs), /takes 2 inputs \(input, h0\)/);
});

test('bilstm.onnx (a 2-layer bidirectional LSTM as torch.onnx.export writes it, W [2, 4H, in]): four layers whose states are PyTorch\'s', async () => {
  await ensureBackend();
  const imported = onnxToCharModel(readOnnxGraph(onnxFile('bilstm.onnx'), 'bilstm.onnx'));
  assert.equal(imported.summary, 'Embedding(12→5) → 2 × BiLSTM(8) → no read-out');
  computesBidirectionalForward(imported, FORWARD['bilstm.pt'] as Forward, 'bilstm.onnx');
});
