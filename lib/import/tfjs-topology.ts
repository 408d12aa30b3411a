import { BadRequestError } from '../errors.ts';
import type { Activation, RecurrentActivation } from '../../models/architectures.ts';

/**
 * Reads the layer list of a TensorFlow.js LayersModel's model.json (what `model.save` writes and
 * what tensorflowjs_converter makes from a Keras .h5) into the plan Cellscope can instrument:
 * an input (one-hot, or token ids into an Embedding), one or more LSTM, GRU or SimpleRNN layers
 * (each its own kind and size; Bidirectional ones as a layer per direction), optional
 * dropout-like layers (inactive at inference), and a Dense softmax
 * output (directly, wrapped in TimeDistributed, or a linear Dense then Activation softmax).
 * Anything else is refused, naming the layer and its class.
 */
export const MAX_IMPORT_LAYERS = 16;
export const MIN_IMPORT_UNITS = 1;
export const MAX_IMPORT_UNITS = 1024;
/** Token ids are stored as uint16 in recordings (lib/record/quantities.ts). */
export const MAX_IMPORT_VOCAB = 65_536;
export const MAX_EMBEDDING_DIM = 4096;

export type RecurrentClass = 'LSTM' | 'GRU' | 'SimpleRNN';

export interface RecurrentPlan {
  name: string;
  cls: RecurrentClass;
  units: number;
  activation: Activation;
  recurrentActivation: RecurrentActivation;
  useBias: boolean;
  resetAfter: boolean;
  returnSequences: boolean;
  /** backward: the second direction of a Bidirectional wrapper (it reads right to left). */
  direction: 'forward' | 'backward';
  /** Indices (into `recurrent`) whose h make its input, concatenated ([]: the input layer). */
  inputs: number[];
}

export interface TopologyPlan {
  /** The vocabulary size the model reads (one-hot width, or the Embedding's input_dim). */
  vocabSize: number;
  embedding: { name: string; dim: number } | null;
  recurrent: RecurrentPlan[];
  dense: { name: string; units: number; useBias: boolean };
  /** Things to tell the researcher (ignored options). */
  warnings: string[];
}

type Json = Record<string, unknown>;

const SKIPPED = new Set(['Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization']);

function fail(message: string): never {
  throw new BadRequestError(message, 'model');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function layerLabel(l: { name: string; cls: string }): string {
  return `layer '${l.name}' (${l.cls})`;
}

/** Keras snake_case or tfjs camelCase activation names, as Cellscope names them. */
function activationName(raw: unknown, where: string, allowed: readonly string[]): string {
  if (raw === undefined || raw === null) return '';
  const name = typeof raw === 'string' ? raw : isObject(raw) && typeof raw.class_name === 'string' ? raw.class_name : String(raw);
  const snake = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  if (!allowed.includes(snake)) fail(`${where} uses the activation ${JSON.stringify(name)}; Cellscope reads ${allowed.join(', ')}`);
  return snake;
}

function positiveInt(v: unknown, what: string, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) fail(`${what} must be a positive integer, got ${JSON.stringify(v)}`);
  if (v > max) fail(`${what} is ${v.toLocaleString('en-US')}, over the ${max.toLocaleString('en-US')} Cellscope takes`);
  return v;
}

/** The layers in order, from a Sequential model or a Functional one whose layers form one chain. */
export function topologyLayers(modelJson: Json): { name: string; cls: string; config: Json }[] {
  const topo = modelJson.modelTopology;
  if (!isObject(topo)) fail('model.json has no modelTopology: is it a TensorFlow.js LayersModel (format "layers-model")?');
  const mc = isObject(topo.model_config) ? topo.model_config : topo;
  const cls = mc.class_name;
  const cfg = mc.config;
  const raw = Array.isArray(cfg) ? cfg : isObject(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(raw)) fail(`model.json's topology (${String(cls)}) lists no layers`);
  const layers = raw.map((l, k) => {
    if (!isObject(l) || typeof l.class_name !== 'string') fail(`layer ${k} of model.json is not a {class_name, config} object`);
    const config = isObject(l.config) ? l.config : {};
    const name = typeof config.name === 'string' ? config.name : typeof l.name === 'string' ? l.name : `layer_${k}`;
    return { name, cls: l.class_name, config, inbound: l.inbound_nodes };
  });
  if (cls === 'Model' || cls === 'Functional') {
    // Keras 2 layout: inbound_nodes [[[name, node, tensor, kwargs]]]. One inbound layer each, the previous.
    layers.forEach((l, k) => {
      if (k === 0) return;
      const nodes = l.inbound;
      const from = Array.isArray(nodes) && Array.isArray(nodes[0]) && Array.isArray(nodes[0][0]) ? nodes[0][0][0] : undefined;
      if (nodes === undefined || !Array.isArray(nodes) || nodes.length !== 1 || !Array.isArray(nodes[0]) || nodes[0].length !== 1 || from !== layers[k - 1]?.name) {
        fail(`${layerLabel(l)} does not simply follow '${layers[k - 1]?.name}': Cellscope reads models whose layers form a single chain`);
      }
    });
  } else if (cls !== 'Sequential') {
    fail(`model.json's topology is a ${String(cls)}; Cellscope reads Sequential models and single-chain functional ones`);
  }
  return layers.map(({ name, cls: c, config }) => ({ name, cls: c, config }));
}

function inputShapeOf(config: Json): unknown[] | null {
  const s = config.batch_input_shape ?? config.batch_shape ?? config.batchInputShape;
  return Array.isArray(s) ? s : null;
}

/** `classes`: a classifier's class count (its Dense scores them, not the vocabulary). */
export function planTopology(modelJson: Json, readout: { classes?: number } = {}): TopologyPlan {
  const layers = topologyLayers(modelJson);
  const warnings: string[] = [];
  let vocabSize: number | null = null;
  let tokenInput = false;
  let embedding: TopologyPlan['embedding'] = null;
  const recurrent: RecurrentPlan[] = [];
  let dense: TopologyPlan['dense'] | null = null;
  let denseActivation = '';
  const noteInput = (config: Json): void => {
    const shape = inputShapeOf(config);
    if (!shape) return;
    if (shape.length === 2) tokenInput = true;
    else if (shape.length === 3 && typeof shape[2] === 'number') vocabSize = positiveInt(shape[2], 'the one-hot input width', MAX_IMPORT_VOCAB);
  };
  for (const l of layers) {
    const c = l.config;
    if (dense && !(l.cls === 'Activation' && denseActivation === 'linear') && !SKIPPED.has(l.cls)) fail(`${layerLabel(l)} follows the output layer '${dense.name}': the Dense softmax must come last`);
    if (l.cls === 'InputLayer') {
      noteInput(c);
      continue;
    }
    if (SKIPPED.has(l.cls)) {
      if (recurrent.length === 0 && !embedding) noteInput(c);
      continue;
    }
    if (l.cls === 'Embedding') {
      if (embedding || recurrent.length) fail(`${layerLabel(l)} must be the first layer`);
      const V = positiveInt(c.input_dim ?? c.inputDim, `${layerLabel(l)} input_dim`, MAX_IMPORT_VOCAB);
      const D = positiveInt(c.output_dim ?? c.outputDim, `${layerLabel(l)} output_dim`, MAX_EMBEDDING_DIM);
      if (c.mask_zero === true || c.maskZero === true) warnings.push(`${layerLabel(l)} masks token 0; Cellscope reads token 0 like any other (the same when the text never contains it)`);
      vocabSize = V;
      embedding = { name: l.name, dim: D };
      continue;
    }
    // Keras Bidirectional(LSTM/GRU/SimpleRNN), merge_mode concat: a layer per direction.
    const wrapped = l.cls === 'Bidirectional' ? bidirectionalInner(l) : null;
    if (l.cls === 'LSTM' || l.cls === 'GRU' || l.cls === 'SimpleRNN' || wrapped) {
      if (recurrent.length === 0 && !embedding) noteInput(c);
      const inner = wrapped ?? { cls: l.cls as RecurrentClass, config: c };
      const units = positiveInt(inner.config.units, `${layerLabel(l)} units`, MAX_IMPORT_UNITS);
      if (units < MIN_IMPORT_UNITS) fail(`${layerLabel(l)} has ${units} units; Cellscope instruments layers of ${MIN_IMPORT_UNITS} to ${MAX_IMPORT_UNITS}`);
      if (inner.config.go_backwards === true || inner.config.goBackwards === true) fail(`${layerLabel(l)} reads backwards (go_backwards): Cellscope instruments forward recurrences`);
      if (inner.config.time_major === true) fail(`${layerLabel(l)} is time-major: Cellscope reads batch-major layers`);
      const prev = recurrent[recurrent.length - 1];
      if (prev && !prev.returnSequences) fail(`${layerLabel({ name: prev.name, cls: prev.cls })} returns only its last step (return_sequences false), but another recurrent layer follows it`);
      // Keras's default gate; tfjs-layers writes its own default (hard_sigmoid) into model.json.
      const defaultGate = 'sigmoid';
      const plan: RecurrentPlan = {
        name: l.name,
        cls: inner.cls,
        units,
        activation: (activationName(inner.config.activation, layerLabel(l), ['tanh', 'relu', 'linear', 'sigmoid', 'hard_sigmoid']) || 'tanh') as Activation,
        recurrentActivation: (inner.cls === 'SimpleRNN' ? 'sigmoid' : activationName(inner.config.recurrent_activation ?? inner.config.recurrentActivation, layerLabel(l), ['sigmoid', 'hard_sigmoid']) || defaultGate) as RecurrentActivation,
        useBias: inner.config.use_bias !== false && inner.config.useBias !== false,
        resetAfter: inner.cls === 'GRU' && (inner.config.reset_after === true || inner.config.resetAfter === true),
        returnSequences: inner.config.return_sequences === true || inner.config.returnSequences === true,
        direction: 'forward',
        inputs: lastGroup(recurrent),
      };
      if (inner.config.return_state === true || inner.config.returnState === true) fail(`${layerLabel(l)} returns its state as a second output: Cellscope reads single-output chains`);
      if (recurrent.length + (wrapped ? 2 : 1) > MAX_IMPORT_LAYERS) fail(`the model has more than ${MAX_IMPORT_LAYERS} recurrent layers; Cellscope instruments up to ${MAX_IMPORT_LAYERS}`);
      recurrent.push(plan);
      if (wrapped) recurrent.push({ ...plan, direction: 'backward' });
      continue;
    }
    if (l.cls === 'Dense' || l.cls === 'TimeDistributed') {
      let name = l.name;
      let dc = c;
      if (l.cls === 'TimeDistributed') {
        const inner = c.layer;
        if (!isObject(inner) || inner.class_name !== 'Dense') fail(`${layerLabel(l)} wraps ${isObject(inner) ? String(inner.class_name) : 'nothing'}; Cellscope reads TimeDistributed(Dense)`);
        dc = isObject(inner.config) ? inner.config : {};
        name = l.name;
      }
      if (recurrent.length === 0) fail(`${layerLabel(l)} comes before any LSTM, GRU or SimpleRNN layer`);
      denseActivation = activationName(dc.activation, layerLabel(l), ['softmax', 'linear']) || 'linear';
      dense = { name, units: positiveInt(dc.units, `${layerLabel(l)} units`, MAX_IMPORT_VOCAB), useBias: dc.use_bias !== false && dc.useBias !== false };
      continue;
    }
    if (l.cls === 'Activation' && dense && denseActivation === 'linear') {
      const a = activationName(c.activation, layerLabel(l), ['softmax', 'linear']);
      if (a !== 'softmax') fail(`${layerLabel(l)} applies ${a}; the output must be a softmax`);
      denseActivation = 'softmax';
      continue;
    }
    fail(`${layerLabel(l)} cannot be instrumented: Cellscope reads an Embedding or one-hot input, LSTM, GRU or SimpleRNN layers, dropout layers and a Dense softmax output${l.cls === 'Bidirectional' ? ' (bidirectional layers come in from PyTorch state_dicts, not from Keras yet)' : ''}`);
  }
  if (recurrent.length === 0) fail('the model has no LSTM, GRU or SimpleRNN layer');
  if (!dense) fail('the model has no Dense softmax output layer');
  if (denseActivation !== 'softmax') fail(`the output layer '${dense.name}' is linear with no softmax after it: Cellscope reads character-level language models`);
  if (vocabSize === null) {
    if (tokenInput) fail('the model reads token ids but has no Embedding layer');
    fail('model.json does not say how wide the one-hot input is (batch_input_shape [null, null, V] on the first layer or an InputLayer)');
  }
  if (readout.classes !== undefined) {
    if (dense.units !== readout.classes) fail(`the output layer '${dense.name}' has ${dense.units} units but ${readout.classes} classes were named: a classifier scores its classes`);
  } else if (dense.units !== vocabSize) fail(`the output layer '${dense.name}' has ${dense.units} units but the model reads a vocabulary of ${vocabSize}: a character model predicts its own vocabulary (a classifier: name its classes)`);
  const last = recurrent[recurrent.length - 1];
  if (last && !last.returnSequences) warnings.push(`'${last.name}' returns only its last step (return_sequences false): Cellscope still records every step${readout.classes !== undefined ? ' and the class probabilities after each' : ''}, and model.predict matches its last one`);
  return { vocabSize, embedding, recurrent, dense, warnings };
}

/** The recurrent layers the next one reads: the last plain layer, or both directions of the last Bidirectional. */
function lastGroup(recurrent: readonly RecurrentPlan[]): number[] {
  const n = recurrent.length;
  if (n === 0) return [];
  return recurrent[n - 1]?.direction === 'backward' ? [n - 2, n - 1] : [n - 1];
}

/** A Bidirectional wrapper's inner LSTM, GRU or SimpleRNN, its outputs concatenated (merge_mode concat). */
function bidirectionalInner(l: { name: string; cls: string; config: Json }): { cls: RecurrentClass; config: Json } {
  const inner = l.config.layer;
  const cls = isObject(inner) ? inner.class_name : undefined;
  if (!isObject(inner) || (cls !== 'LSTM' && cls !== 'GRU' && cls !== 'SimpleRNN')) fail(`${layerLabel(l)} wraps ${String(cls)}; Cellscope reads Bidirectional(LSTM), Bidirectional(GRU) and Bidirectional(SimpleRNN)`);
  const merge = l.config.merge_mode ?? l.config.mergeMode ?? 'concat';
  if (merge !== 'concat') fail(`${layerLabel(l)} merges its directions by ${String(merge)}; Cellscope reads merge_mode concat (each direction is a layer of its own)`);
  // Keras 3 writes the backward layer's config too: it must be the forward one's, reading backwards.
  const back = l.config.backward_layer;
  if (isObject(back)) {
    const bc = isObject(back.config) ? back.config : {};
    const fc = isObject(inner.config) ? inner.config : {};
    const differs = ['units', 'activation', 'recurrent_activation', 'use_bias', 'reset_after', 'return_sequences'].find((k) => JSON.stringify(bc[k]) !== JSON.stringify(fc[k]));
    if (back.class_name !== cls || differs !== undefined || bc.go_backwards !== true) fail(`${layerLabel(l)} has a backward layer unlike its forward one${differs ? ` (${differs})` : ''}, which Cellscope does not import`);
  }
  return { cls, config: isObject(inner.config) ? inner.config : {} };
}
