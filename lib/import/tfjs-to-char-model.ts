import { BadRequestError } from '../errors.ts';
import type { Architecture } from '../../models/architectures.ts';
import type { ImportedModel } from './imported-model.ts';
import { assembleStack, type StackLayer } from './recurrent-stack.ts';
import { planTopology, type RecurrentClass } from './tfjs-topology.ts';
import { loadWeights, readManifest, type LoadedWeight } from './tfjs-weights.ts';

/**
 * A TensorFlow.js LayersModel as one of Cellscope's instrumented char models: the plan of its
 * layers (tfjs-topology.ts) and its weights (tfjs-weights.ts) mapped onto Cellscope's parameter
 * names (models/char-model.ts). Keras's and Cellscope's layouts agree (kernel [in, gates·units],
 * recurrent_kernel [units, gates·units], gate order i f c o and z r h), so weights copy over
 * into the common assembly (recurrent-stack.ts), which folds an Embedding into the first
 * kernel; a reset_after GRU's bias [2, 3·units] splits into the input and recurrent biases.
 * Layers may differ in kind, size and activations.
 */

const GATES: Record<RecurrentClass, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };
const ARCH: Record<RecurrentClass, Architecture> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'rnn' };

type Json = Record<string, unknown>;

function fail(message: string): never {
  throw new BadRequestError(message, 'weights');
}

/** `readout.classes`: a classifier's class count (its Dense scores them instead of the vocabulary). */
export function tfjsToCharModel(modelJson: Json, files: ReadonlyMap<string, Uint8Array>, readout: { classes?: number } = {}): ImportedModel {
  const plan = planTopology(modelJson, readout);
  readManifest(modelJson); // sizes checked before any file is read
  const loaded = loadWeights(modelJson, files);
  const used = new Set<LoadedWeight>();
  const pick = (layer: string, suffix: string, shape: number[] | null, why: string): LoadedWeight | null => {
    const found = loaded.filter((w) => (w.name.startsWith(`${layer}/`) || w.name.split('/').includes(layer)) && w.name.endsWith(`/${suffix}`) && !used.has(w));
    if (found.length === 0) return null;
    const w = found[0] as LoadedWeight;
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, k) => d !== shape[k]))) {
      fail(`weight ${w.name} has shape [${w.shape.join(', ')}] but ${why} needs [${shape.join(', ')}]`);
    }
    used.add(w);
    return w;
  };
  const need = (layer: string, suffix: string, shape: number[], why: string): LoadedWeight => {
    const w = pick(layer, suffix, shape, why);
    if (!w) fail(`the weights lack ${layer}/${suffix} (${why})`);
    return w;
  };

  const V = plan.vocabSize;
  if (plan.recurrent.length === 0) fail('the model has no recurrent layer');
  let embedding: Float32Array | null = null;
  if (plan.embedding) {
    embedding = need(plan.embedding.name, 'embeddings', [V, plan.embedding.dim], `the Embedding '${plan.embedding.name}' (${V} tokens × ${plan.embedding.dim})`).data;
  }
  const layers: StackLayer[] = plan.recurrent.map((r) => {
    const H = r.units;
    const G = GATES[r.cls];
    const inDim = r.inputs.length ? r.inputs.reduce((a, i) => a + (plan.recurrent[i]?.units ?? 0), 0) : plan.embedding ? plan.embedding.dim : V;
    const why = `'${r.name}' (${r.cls}, ${H} units on ${inDim} inputs)`;
    const kernel = need(r.name, 'kernel', [inDim, G * H], why).data;
    const recurrentKernel = need(r.name, 'recurrent_kernel', [H, G * H], why).data;
    let bias: Float32Array = new Float32Array(G * H);
    let recurrentBias: Float32Array | null = null;
    if (r.useBias) {
      if (r.resetAfter) {
        const b = need(r.name, 'bias', [2, G * H], `${why}, reset_after (input and recurrent biases)`).data;
        bias = b.slice(0, G * H);
        recurrentBias = b.slice(G * H);
      } else {
        bias = need(r.name, 'bias', [G * H], why).data;
      }
    } else if (r.resetAfter) {
      recurrentBias = new Float32Array(G * H);
    }
    return {
      arch: ARCH[r.cls], units: H, inDim, kernel, recurrentKernel, bias, ...(recurrentBias ? { recurrentBias } : {}),
      activation: r.activation, recurrentActivation: r.recurrentActivation, resetAfter: r.resetAfter, source: `'${r.name}'${r.direction === 'backward' ? ' (backward)' : ''}`,
      direction: r.direction, inputs: r.inputs,
      label: `${r.cls}(${H}${r.resetAfter ? ', reset_after' : ''}${r.recurrentActivation !== 'sigmoid' ? `, ${r.recurrentActivation} gates` : ''}${r.activation !== 'tanh' ? `, ${r.activation}` : ''})`,
    };
  });
  const d = plan.dense;
  if (layers.some((l) => l.direction === 'backward')) {
    // A bidirectional model predicts no next token: its Dense is left out.
    if (readout.classes !== undefined) fail(`'${d.name}': a bidirectional classifier is not imported yet`);
    for (const w of loaded) if (!used.has(w) && (w.name.startsWith(`${d.name}/`) || w.name.split('/').includes(d.name))) used.add(w);
    const unusedBi = loaded.filter((w) => !used.has(w));
    if (unusedBi.length) fail(`the weights include ${unusedBi.map((w) => w.name).join(', ')}, which no instrumented layer uses`);
    return assembleStack({
      vocabSize: V, ...(embedding && plan.embedding ? { embedding: { data: embedding, dim: plan.embedding.dim } } : {}), layers, head: null,
      warnings: [...plan.warnings, `the output layer '${d.name}' is left out: a bidirectional model has read the next character already, so it predicts none`], headName: 'Dense softmax',
    });
  }
  const H = (layers[layers.length - 1] as StackLayer).units;
  const O = readout.classes ?? V;
  const headKernel = need(d.name, 'kernel', [H, O], `the output layer '${d.name}' (${H} → ${O})`).data;
  const headBias = d.useBias ? need(d.name, 'bias', [O], `the output layer '${d.name}'`).data : new Float32Array(O);
  const unused = loaded.filter((w) => !used.has(w));
  if (unused.length) fail(`the weights include ${unused.map((w) => w.name).join(', ')}, which no instrumented layer uses`);
  return assembleStack({
    vocabSize: V,
    ...(embedding && plan.embedding ? { embedding: { data: embedding, dim: plan.embedding.dim } } : {}),
    layers,
    head: { kernel: headKernel, bias: headBias },
    ...(readout.classes !== undefined ? { classes: readout.classes } : {}),
    warnings: plan.warnings,
    headName: 'Dense softmax',
  });
}
