import { BadRequestError } from '../../errors.ts';
import type { Activation, Architecture } from '../../../models/architectures.ts';
import { addArrays, reorderBlocks, transpose, transposeBlocks } from '../gate-layout.ts';
import type { ImportedModel } from '../imported-model.ts';
import { assembleStack, type StackLayer } from '../recurrent-stack.ts';
import type { LoadedTensor } from '../torch/tensors.ts';
import type { OnnxGraph, OnnxNode } from './onnx-graph.ts';

/**
 * An ONNX language model (torch.onnx.export, tf2onnx) as one of Cellscope's instrumented char
 * models. The data path is followed from the graph's input: Gather over an initializer (the
 * embedding), LSTM / GRU / RNN operators (W [dirs, G·H, in], R [dirs, G·H, H], B [dirs, 2·G·H];
 * gate blocks i o f c for an LSTM, z r h for a GRU, linear_before_reset saying where a GRU's
 * reset goes), then MatMul/Gemm and Add (the read-out), and Softmax or LogSoftmax. Nodes that
 * only reshape (Squeeze, Transpose, ...) are passed through; the Shape arithmetic that exporters
 * add to build zero initial states is not on the data path and is ignored. Anything else on the
 * path is refused naming the node.
 */

const PASS_THROUGH = new Set(['Squeeze', 'Unsqueeze', 'Transpose', 'Reshape', 'Identity', 'Cast', 'Dropout', 'Flatten']);
const RECURRENT: Record<string, { arch: Architecture; G: number; defaults: string[] }> = {
  LSTM: { arch: 'lstm', G: 4, defaults: ['Sigmoid', 'Tanh', 'Tanh'] },
  GRU: { arch: 'gru', G: 3, defaults: ['Sigmoid', 'Tanh'] },
  RNN: { arch: 'rnn', G: 1, defaults: ['Tanh'] },
};
/** ONNX's gate blocks into Cellscope's (Keras's): LSTM i o f c → i f c o; GRU z r h stays. */
const ORDER: Record<Architecture, number[]> = { lstm: [0, 2, 3, 1], gru: [0, 1, 2], rnn: [0] } as Record<Architecture, number[]>;

function fail(message: string): never {
  throw new BadRequestError(message, 'files');
}

const describe = (n: OnnxNode): string => `${n.opType} node "${n.name}"`;

export function onnxToCharModel(graph: OnnxGraph): ImportedModel {
  if (graph.inputs.length !== 1) fail(`the graph takes ${graph.inputs.length} inputs (${graph.inputs.join(', ')}); Cellscope reads models whose one input is the token sequence (initial states given as inputs are not supported)`);
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of graph.nodes) for (const i of n.inputs) if (i) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const tensor = (name: string | undefined, what: string): LoadedTensor => {
    const t = name ? graph.tensors.get(name) : undefined;
    if (!t) return fail(`${what} is not a constant of the model (its weights must be initializers)`);
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`${what} holds ${t.data[bad]} at element ${bad}: weights must be finite`);
    return t;
  };

  let cur = graph.inputs[0] as string;
  let embedding: LoadedTensor | null = null;
  const layers: StackLayer[] = [];
  // The layers the next recurrent node reads ([]: the tokens).
  let lastGroup: number[] = [];
  let headKernel: Float32Array | null = null;
  let headBias: Float32Array | null = null;
  let V = 0;
  let softmax = false;
  for (let guard = 0; guard < graph.nodes.length + 1; guard++) {
    // Shape reads only the size: the exporters' initial-state arithmetic hangs off it.
    const next = (consumers.get(cur) ?? []).filter((n) => n.opType !== 'Shape');
    if (next.length === 0) break;
    if (next.length > 1) fail(`the value "${cur}" feeds ${next.map(describe).join(' and ')}: Cellscope follows one path from the input to the output`);
    const node = next[0] as OnnxNode;
    const other = node.inputs.find((i) => i !== cur && i !== '');
    const out = node.outputs[0] ?? '';
    if (node.opType === 'Gather' && node.inputs[1] === cur && layers.length === 0 && !embedding) {
      embedding = tensor(node.inputs[0], `the embedding of ${describe(node)}`);
      if (embedding.shape.length !== 2) fail(`the embedding of ${describe(node)} has shape [${embedding.shape.join(', ')}], not [tokens, dimensions]`);
    } else if (RECURRENT[node.opType] && node.inputs[0] === cur) {
      // Each layer of this node reads the whole previous node's output (both directions, concatenated).
      const below = lastGroup;
      const added = recurrentLayers(node, tensor, graph.tensors).map((l) => ({ ...l, inputs: below }));
      lastGroup = added.map((_, k) => layers.length + k);
      layers.push(...added);
      if (!out) fail(`${describe(node)} gives only its last state (a classifier's read-out), which Cellscope does not import yet`);
    } else if (PASS_THROUGH.has(node.opType)) {
      // the data, reshaped
    } else if ((node.opType === 'MatMul' || node.opType === 'Gemm') && layers.length > 0 && !headKernel) {
      // It reads the last recurrent node's output: both directions of a bidirectional one.
      const H = lastGroup.reduce((a, i) => a + (layers[i]?.units ?? 0), 0);
      const w = tensor(other, `the read-out weight of ${describe(node)}`);
      const transB = node.opType === 'Gemm' && node.attributes.get('transB') === 1;
      if (node.opType === 'Gemm' && (node.attributes.get('alpha') ?? 1) !== 1) fail(`${describe(node)} scales its product (alpha ≠ 1), which Cellscope does not import`);
      if (w.shape.length !== 2 || w.shape[transB ? 1 : 0] !== H) fail(`the read-out weight of ${describe(node)} has shape [${w.shape.join(', ')}], not one that reads ${H} units`);
      V = w.shape[transB ? 0 : 1] as number;
      headKernel = transB ? transpose(w.data, V, H) : w.data;
      const c = node.opType === 'Gemm' ? node.inputs[2] : undefined;
      if (c) headBias = tensor(c, `the read-out bias of ${describe(node)}`).data;
    } else if (node.opType === 'Add' && headKernel && !headBias && !softmax) {
      const b = tensor(other, `the read-out bias of ${describe(node)}`);
      if (b.data.length !== V) fail(`the read-out bias of ${describe(node)} has ${b.data.length} values for ${V} tokens`);
      headBias = b.data;
    } else if ((node.opType === 'Softmax' || node.opType === 'LogSoftmax') && headKernel) softmax = true;
    else fail(`${describe(node)} is on the path from the input to the output, and Cellscope imports only an embedding (Gather), LSTM/GRU/RNN operators and a read-out (MatMul or Gemm, Add, Softmax)`);
    cur = out;
  }
  if (layers.length === 0) fail('the graph has no LSTM, GRU or RNN operator on the path from its input');
  if (layers.some((l) => l.direction === 'backward')) {
    // A bidirectional model has read the next token already: it predicts none, so no read-out.
    return assembleStack({
      vocabSize: embedding ? (embedding.shape[0] as number) : (layers[0]?.inDim ?? 0),
      ...(embedding ? { embedding: { data: embedding.data, dim: embedding.shape[1] as number } } : {}),
      layers, head: null, headName: 'Linear',
      warnings: headKernel ? ['the read-out after the bidirectional layers is left out: a bidirectional model has read the next token already, so it predicts none'] : [],
    });
  }
  if (!headKernel) fail('the graph has no read-out (a MatMul or Gemm over the last layer\'s units) after its recurrent layers');
  const warnings = softmax ? [] : ['the graph ends without a Softmax: its last values were taken as logits'];
  const vocab = embedding ? (embedding.shape[0] as number) : (layers[0]?.inDim ?? 0);
  if (vocab !== V) fail(`the model reads ${vocab} tokens but its read-out scores ${V}: it is not a language model over one vocabulary`);
  return assembleStack({
    vocabSize: V,
    ...(embedding ? { embedding: { data: embedding.data, dim: embedding.shape[1] as number } } : {}),
    layers,
    head: { kernel: headKernel, bias: headBias ?? new Float32Array(V) },
    warnings,
    headName: 'Linear',
  });
}

/**
 * One LSTM / GRU / RNN operator as layers in Cellscope's layout, its attributes checked: one
 * layer, or (direction bidirectional) a forward and a backward one; reverse is a backward layer.
 */
function recurrentLayers(node: OnnxNode, tensor: (name: string | undefined, what: string) => LoadedTensor, constants: ReadonlyMap<string, LoadedTensor>): StackLayer[] {
  const kind = RECURRENT[node.opType] as (typeof RECURRENT)[string];
  const what = describe(node);
  const direction = node.attributes.get('direction') ?? 'forward';
  if (direction !== 'forward' && direction !== 'reverse' && direction !== 'bidirectional') fail(`${what} has direction ${String(direction)}, not forward, reverse or bidirectional`);
  const D = direction === 'bidirectional' ? 2 : 1;
  if ((node.attributes.get('layout') ?? 0) !== 0) fail(`${what} has layout 1 (batch first), which Cellscope does not import`);
  if (node.attributes.has('clip')) fail(`${what} clips its cell input, which Cellscope's cells do not`);
  if ((node.attributes.get('input_forget') ?? 0) !== 0) fail(`${what} couples its input and forget gates (input_forget), which Cellscope's LSTM does not`);
  if (node.inputs[4]) fail(`${what} takes sequence lengths, which a language model over one sequence does not need`);
  if (node.inputs[7]) {
    const p = tensor(node.inputs[7], `the peepholes of ${what}`);
    if (p.data.some((v) => v !== 0)) fail(`${what} has peephole connections, which Cellscope's LSTM does not`);
  }
  // Initial states: computed zeros (what exporters build from the input's shape) or constant
  // zeros; a constant that is not zero would start every sequence from a state Cellscope cannot give.
  for (const s of [5, 6]) {
    const name = node.inputs[s];
    const t = name ? constants.get(name) : undefined;
    if (t && t.data.some((v) => v !== 0)) fail(`${what} starts from a constant initial state that is not zero, which Cellscope does not import`);
  }
  const W = tensor(node.inputs[1], `W of ${what}`);
  const R = tensor(node.inputs[2], `R of ${what}`);
  const H = R.shape[2] ?? 0;
  const GH = kind.G * H;
  const inDim = W.shape[2] ?? 0;
  if (W.shape.length !== 3 || R.shape.length !== 3 || W.shape[0] !== D || R.shape[0] !== D || W.shape[1] !== GH || R.shape[1] !== GH) fail(`${what}: W [${W.shape.join(', ')}] and R [${R.shape.join(', ')}] are not [${D}, ${kind.G}·hidden, inputs] and [${D}, ${kind.G}·hidden, hidden]`);
  const hidden = node.attributes.get('hidden_size');
  if (hidden !== undefined && hidden !== H) fail(`${what} says hidden_size ${String(hidden)} but its R has ${H}`);
  const acts = (node.attributes.get('activations') as string[] | undefined) ?? kind.defaults;
  let activation: Activation = 'tanh';
  if (kind.arch === 'rnn') {
    if (acts[0] !== 'Tanh' && acts[0] !== 'Relu') fail(`${what} uses activation ${String(acts[0])}; Cellscope's RNN takes Tanh or Relu`);
    activation = acts[0] === 'Relu' ? 'relu' : 'tanh';
  } else if (acts.join() !== kind.defaults.join()) fail(`${what} uses activations ${acts.join(', ')}; Cellscope's ${node.opType} takes ${kind.defaults.join(', ')}`);
  const order = ORDER[kind.arch];
  const B = node.inputs[3] ? tensor(node.inputs[3], `B of ${what}`) : null;
  if (B && B.data.length !== D * 2 * GH) fail(`${what}: B has ${B.data.length} values, not ${D} × 2 × ${GH}`);
  const resetAfter = kind.arch === 'gru' && node.attributes.get('linear_before_reset') === 1;
  // Direction d's weights are W[d], R[d], B[d] (ONNX lists forward first, then backward).
  return Array.from({ length: D }, (_, d) => {
    const Wb = B ? reorderBlocks(B.data.subarray(d * 2 * GH, d * 2 * GH + GH), H, order) : new Float32Array(GH);
    const Rb = B ? reorderBlocks(B.data.subarray(d * 2 * GH + GH, (d + 1) * 2 * GH), H, order) : new Float32Array(GH);
    const backward = direction === 'reverse' || d === 1;
    return {
      arch: kind.arch,
      units: H,
      inDim,
      source: `${what}${D > 1 ? (d ? ' (backward)' : ' (forward)') : ''}`,
      activation,
      resetAfter,
      ...(backward ? { direction: 'backward' as const } : {}),
      label: `${node.opType === 'RNN' ? 'RNN' : node.opType}(${H}${kind.arch === 'rnn' ? `, ${activation}` : ''}${kind.arch === 'gru' && !resetAfter ? ', reset before' : ''})`,
      kernel: transposeBlocks(W.data.subarray(d * GH * inDim, (d + 1) * GH * inDim), { rows: GH, cols: inDim, H, order }),
      recurrentKernel: transposeBlocks(R.data.subarray(d * GH * H, (d + 1) * GH * H), { rows: GH, cols: H, H, order }),
      // A reset-after GRU keeps its recurrent bias apart; elsewhere the two biases are added alike.
      ...(kind.arch === 'gru' && resetAfter ? { bias: Wb, recurrentBias: Rb } : { bias: addArrays(Wb, Rb) }),
    };
  });
}
