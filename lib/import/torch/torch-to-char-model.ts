import { z } from 'zod';
import { BadRequestError } from '../../errors.ts';
import type { Architecture } from '../../../models/architectures.ts';
import { addArrays, reorderBlocks, transpose, transposeBlocks } from '../gate-layout.ts';
import type { ImportedModel } from '../imported-model.ts';
import { assembleStack, type StackLayer } from '../recurrent-stack.ts';
import type { LoadedTensor } from './tensors.ts';

/**
 * A PyTorch language model's state_dict as one of Cellscope's instrumented char models, its
 * architecture read from PyTorch's standard parameter names and shapes:
 *   nn.Embedding   <m>.weight [V, E]
 *   nn.LSTM / nn.GRU / nn.RNN   <m>.weight_ih_l{k} [G·H, in], weight_hh_l{k} [G·H, H],
 *                  bias_ih_l{k}, bias_hh_l{k} [G·H]; G = 4 (LSTM, rows i f g o), 3 (GRU, rows
 *                  r z n, the reset applied after the recurrent product), 1 (RNN)
 *   nn.Linear      <m>.weight [V, H], <m>.bias [V]: the read-out
 * What the weights cannot tell (an RNN's nonlinearity, which module is the read-out when two
 * fit) comes from the optional spec, and otherwise is guessed with the guess said in a warning.
 * Layouts become Cellscope's (Keras's): kernels transposed, GRU gate blocks reordered to z r h
 * with the recurrent bias kept apart (reset_after), an LSTM's or RNN's two biases summed, and
 * an embedding folded into the first kernel (fold-embedding.ts).
 */

/** The optional spec: a small JSON document that says what the weights cannot. */
export const torchModelSpecSchema = z
  .object({
    /** nn.RNN's nonlinearity (default tanh). */
    nonlinearity: z.enum(['tanh', 'relu']).optional(),
    /** The module whose weight and bias are the read-out, e.g. "decoder". */
    head: z.string().min(1).max(200).optional(),
    /** The module that embeds the tokens, e.g. "encoder". */
    embedding: z.string().min(1).max(200).optional(),
  })
  .strict();
export type TorchModelSpec = z.infer<typeof torchModelSpecSchema>;

const KINDS: Record<number, { cls: string; arch: Architecture }> = { 4: { cls: 'LSTM', arch: 'lstm' }, 3: { cls: 'GRU', arch: 'gru' }, 1: { cls: 'RNN', arch: 'rnn' } };

function fail(message: string, field = 'files'): never {
  throw new BadRequestError(message, field);
}

/** The tensors of one module prefix ("rnn." → {weight_ih_l0: ...}). */
function modules(tensors: ReadonlyMap<string, LoadedTensor>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const key of tensors.keys()) {
    const dot = key.lastIndexOf('.');
    const [module, param] = dot < 0 ? ['', key] : [key.slice(0, dot), key.slice(dot + 1)];
    if (!out.has(module)) out.set(module, new Map());
    out.get(module)?.set(param, key);
  }
  return out;
}

interface RecurrentLayer {
  module: string;
  k: number;
  G: number;
  H: number;
  inDim: number;
  keys: { wih: string; whh: string; bih?: string | undefined; bhh?: string | undefined };
  /** A bidirectional module's layers: each direction is a layer of its own. */
  direction: 'forward' | 'backward';
  /** Indices (into the layers) whose h make its input; [] the tokens. */
  inputs: number[];
}

/** What the read-out scores: the next token (default), or a classifier's `classes` (from the upload's class names). */
export interface ReadoutExpectation {
  classes?: number;
}

export function torchToCharModel(tensors: ReadonlyMap<string, LoadedTensor>, spec: TorchModelSpec = {}, readout: ReadoutExpectation = {}): ImportedModel {
  const byModule = modules(tensors);
  const used = new Set<string>();
  const warnings: string[] = [];
  const tensor = (key: string): LoadedTensor => {
    const t = tensors.get(key);
    if (!t) return fail(`the state_dict lacks ${key}`);
    if (!['float32', 'float16', 'bfloat16', 'float64'].includes(t.dtype)) fail(`${key} holds ${t.dtype} values, not floating-point weights`);
    const bad = t.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) fail(`${key} holds ${t.data[bad]} at element ${bad}: weights must be finite`);
    used.add(key);
    return t;
  };
  const shaped = (key: string, shape: number[], why: string): Float32Array => {
    const t = tensor(key);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) fail(`${key} has shape [${t.shape.join(', ')}] but ${why} needs [${shape.join(', ')}]`);
    return t.data;
  };

  // The recurrent layers, in state_dict order: each module's l0, l1, ...
  const layers: RecurrentLayer[] = [];
  for (const [module, params] of byModule) {
    if (!params.has('weight_ih_l0')) continue;
    const bidirectional = params.has('weight_ih_l0_reverse');
    for (const p of params.keys()) {
      if (p.startsWith('weight_hr_l')) fail(`${module}.${p}: an LSTM with proj_size is not supported (its hidden state is projected, not the cell's)`);
      if (!/^(weight_ih|weight_hh|bias_ih|bias_hh)_l\d+(_reverse)?$/.test(p) || (p.endsWith('_reverse') && !bidirectional)) fail(`${module}.${p} is not a parameter of nn.LSTM, nn.GRU or nn.RNN`);
    }
    if (bidirectional && (layers.length > 0 || [...byModule].some(([m, ps]) => m !== module && ps.has('weight_ih_l0')))) {
      fail(`${module}.weight_ih_l0_reverse: a bidirectional module is imported as the model's only recurrent module (this state_dict has others)`);
    }
    for (let k = 0; params.has(`weight_ih_l${k}`); k++) for (const suffix of bidirectional ? ['', '_reverse'] : ['']) {
      const wih = `${module}.weight_ih_l${k}${suffix}`;
      const whh = `${module}.weight_hh_l${k}${suffix}`;
      const ih = tensors.get(wih);
      const hh = tensors.get(whh);
      if (!ih || !hh) return fail(`the state_dict has ${wih} without ${whh}`);
      if (ih.shape.length !== 2 || hh.shape.length !== 2) fail(`${wih} and ${whh} must be matrices`);
      const [GH = 0, inDim = 0] = ih.shape;
      const H = hh.shape[1] ?? 0;
      const G = H > 0 ? GH / H : 0;
      if (!KINDS[G] || hh.shape[0] !== GH) fail(`${wih} [${ih.shape.join(', ')}] and ${whh} [${hh.shape.join(', ')}] are not an LSTM's (4·H rows), a GRU's (3·H) or an RNN's (H)`);
      // Each direction of layer k > 0 reads both directions of layer k - 1, forward's h first.
      const inputs = !bidirectional ? (layers.length === 0 ? [] : [layers.length - 1]) : k === 0 ? [] : [2 * (k - 1), 2 * (k - 1) + 1];
      layers.push({
        module, k, G, H, inDim, direction: suffix ? 'backward' : 'forward', inputs,
        keys: { wih, whh, bih: params.has(`bias_ih_l${k}${suffix}`) ? `${module}.bias_ih_l${k}${suffix}` : undefined, bhh: params.has(`bias_hh_l${k}${suffix}`) ? `${module}.bias_hh_l${k}${suffix}` : undefined },
      });
    }
  }
  const first = layers[0];
  if (!first) return fail('the state_dict has no nn.LSTM, nn.GRU or nn.RNN (no weight_ih_l0 key)');
  const top = layers[layers.length - 1] as RecurrentLayer;
  const H = top.H;

  // The embedding: a module with a single [V, E] weight whose E is the first layer's input size.
  const embeddingModule = spec.embedding ?? [...byModule].find(([m, p]) => m !== first.module && p.size === 1 && p.has('weight') && tensors.get(`${m}.weight`)?.shape.length === 2 && tensors.get(`${m}.weight`)?.shape[1] === first.inDim && m !== spec.head)?.[0];
  if (spec.embedding !== undefined && !byModule.get(spec.embedding)?.has('weight')) fail(`the spec names embedding "${spec.embedding}", which has no weight in the state_dict`, 'spec');
  const E = embeddingModule !== undefined ? tensor(`${embeddingModule}.weight`) : null;
  const V = E ? (E.shape[0] as number) : first.inDim;

  // A bidirectional model predicts no next token: it has no read-out (a head on it is left out).
  const bidirectional = layers.some((l) => l.direction === 'backward');
  if (bidirectional) {
    if (readout.classes !== undefined) fail(`${first.module}: a bidirectional classifier is not imported yet (its read-out reads both directions' ends)`, 'classes');
    return bidirectionalStack({ layers, E, V, spec, tensor, shaped, used, tensors, byModule, warnings });
  }

  // The read-out: a [V, H] weight with an optional [V] bias; a classifier's [C, H] over its classes.
  const O = readout.classes ?? V;
  const scored = readout.classes !== undefined ? `the ${O} classes` : `the ${V} tokens`;
  const candidates = [...byModule].filter(([m, p]) => m !== embeddingModule && p.has('weight') && [...p.keys()].every((n) => n === 'weight' || n === 'bias') && tensors.get(`${m}.weight`)?.shape.join() === `${O},${H}`).map(([m]) => m);
  let head = spec.head;
  if (head === undefined) {
    if (candidates.length === 0) fail(`no module has a [${O}, ${H}] weight to read the last layer's ${H} units out over ${scored} (an nn.Linear head)`);
    if (candidates.length > 1) fail(`${candidates.join(' and ')} could each be the read-out ([${O}, ${H}]): name it in the spec, e.g. {"head": "${candidates[0]}"}`, 'spec');
    head = candidates[0] as string;
    if (byModule.size > new Set(layers.map((l) => l.module)).size + 1 + (E ? 1 : 0) || !/head|out|decoder|linear|fc|proj|classifier/i.test(head)) warnings.push(`the read-out was taken to be "${head}", the one module with a [${O}, ${H}] weight`);
  } else if (!byModule.get(head)?.has('weight')) fail(`the spec names head "${head}", which has no weight in the state_dict`, 'spec');

  const hasRnn = layers.some((l) => KINDS[l.G]?.arch === 'rnn');
  if (hasRnn && spec.nonlinearity === undefined) warnings.push('an nn.RNN\'s nonlinearity is not in its weights: tanh was assumed (say {"nonlinearity": "relu"} in the spec if it was trained with ReLU)');

  const stackLayers: StackLayer[] = layers.map((l, i) => torchStackLayer(l, i, { layers, E, V, spec, shaped }));
  const headWeight = shaped(`${head}.weight`, [O, H], `the read-out "${head}" (${H} → ${O})`);
  const headBias = byModule.get(head)?.has('bias') ? shaped(`${head}.bias`, [O], `the read-out "${head}"`) : new Float32Array(O);

  const unused = [...tensors.keys()].filter((k) => !used.has(k));
  if (unused.length) fail(`the state_dict holds ${unused.slice(0, 8).join(', ')}${unused.length > 8 ? ` and ${unused.length - 8} more` : ''}, which no part of a recurrent language model uses (an embedding, nn.LSTM/GRU/RNN layers, a linear read-out)`);
  return assembleStack({
    vocabSize: V,
    ...(E ? { embedding: { data: E.data, dim: E.shape[1] as number } } : {}),
    layers: stackLayers,
    head: { kernel: transpose(headWeight, O, H), bias: headBias },
    ...(readout.classes !== undefined ? { classes: readout.classes } : {}),
    warnings,
    headName: 'Linear',
  });
}

/**
 * A bidirectional module as layers of one direction each (0→, 0←, 1→, 1←), with no read-out:
 * a module with only a weight (and bias) that reads both top directions is left out, said so.
 */
function bidirectionalStack(c: {
  layers: RecurrentLayer[]; E: LoadedTensor | null; V: number; spec: TorchModelSpec; warnings: string[];
  tensor: (key: string) => LoadedTensor; shaped: (key: string, shape: number[], why: string) => Float32Array;
  used: Set<string>; tensors: ReadonlyMap<string, LoadedTensor>; byModule: ReadonlyMap<string, ReadonlyMap<string, unknown>>;
}): ImportedModel {
  const { layers, E, V, spec, warnings } = c;
  const stackLayers = layers.map((l, i) => torchStackLayer(l, i, { layers, E, V, spec, shaped: c.shaped }));
  const top = 2 * (layers[layers.length - 1]?.H ?? 0);
  for (const [m, p] of c.byModule) {
    const w = c.tensors.get(`${m}.weight`);
    if (!w || c.used.has(`${m}.weight`) || ![...p.keys()].every((n) => n === 'weight' || n === 'bias') || w.shape[1] !== top) continue;
    for (const n of p.keys()) c.used.add(`${m}.${n}`);
    warnings.push(`"${m}" reads both directions' ${top} units: it is left out, as a bidirectional model predicts no next token`);
  }
  const unused = [...c.tensors.keys()].filter((k) => !c.used.has(k));
  if (unused.length) fail(`the state_dict holds ${unused.slice(0, 8).join(', ')}${unused.length > 8 ? ` and ${unused.length - 8} more` : ''}, which no part of a bidirectional recurrent model uses`);
  return assembleStack({ vocabSize: V, ...(E ? { embedding: { data: E.data, dim: E.shape[1] as number } } : {}), layers: stackLayers, head: null, warnings, headName: 'Linear' });
}

/** One layer of the state_dict in Cellscope's layout: gate blocks reordered and transposed, biases combined. */
function torchStackLayer(l: RecurrentLayer, i: number, c: { layers: readonly RecurrentLayer[]; E: LoadedTensor | null; V: number; spec: TorchModelSpec; shaped: (key: string, shape: number[], why: string) => Float32Array }): StackLayer {
  const kind = KINDS[l.G] as { cls: string; arch: Architecture };
  const Hl = l.H;
  const GH = l.G * Hl;
  const order = kind.arch === 'gru' ? [1, 0, 2] : [...Array(l.G).keys()]; // PyTorch r z n → z r n
  const inDim = l.inputs.length === 0 ? (c.E ? (c.E.shape[1] as number) : c.V) : l.inputs.reduce((a, k) => a + (c.layers[k]?.H ?? 0), 0);
  const why = `layer ${i} (${kind.cls}(${Hl}) on ${inDim} inputs)`;
  const bih = l.keys.bih ? reorderBlocks(c.shaped(l.keys.bih, [GH], why), Hl, order) : new Float32Array(GH);
  const bhh = l.keys.bhh ? reorderBlocks(c.shaped(l.keys.bhh, [GH], why), Hl, order) : new Float32Array(GH);
  const activation = kind.arch === 'rnn' ? (c.spec.nonlinearity ?? 'tanh') : 'tanh';
  return {
    arch: kind.arch,
    units: Hl,
    inDim,
    source: l.keys.wih,
    activation,
    resetAfter: kind.arch === 'gru',
    direction: l.direction,
    inputs: l.inputs,
    label: `${kind.cls}(${Hl}${kind.arch === 'rnn' ? `, ${activation}` : ''})`,
    kernel: transposeBlocks(c.shaped(l.keys.wih, [GH, inDim], why), { rows: GH, cols: inDim, H: Hl, order }),
    recurrentKernel: transposeBlocks(c.shaped(l.keys.whh, [GH, Hl], why), { rows: GH, cols: Hl, H: Hl, order }),
    // A GRU keeps its recurrent bias apart (it is reset with the recurrent product); the others sum theirs.
    ...(kind.arch === 'gru' ? { bias: bih, recurrentBias: bhh } : { bias: addArrays(bih, bhh) }),
  };
}
