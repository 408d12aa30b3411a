import { BadRequestError } from '../errors.ts';
import type { NamedArray } from '../train/weights-codec.ts';
import { DEFAULT_CELL_OPTIONS, type Architecture } from '../../models/architectures.ts';
import type { CharModelShape } from '../../models/char-model.ts';
import { foldEmbedding } from './fold-embedding.ts';
import type { ImportedModel } from './imported-model.ts';
import { planTopology, type RecurrentClass } from './tfjs-topology.ts';
import { loadWeights, readManifest, type LoadedWeight } from './tfjs-weights.ts';

/**
 * A TensorFlow.js LayersModel as one of Cellscope's instrumented char models: the plan of its
 * layers (tfjs-topology.ts) and its weights (tfjs-weights.ts) mapped onto Cellscope's parameter
 * names (models/char-model.ts). Keras's and Cellscope's layouts agree (kernel [in, gates·units],
 * recurrent_kernel [units, gates·units], gate order i f c o and z r h), so weights copy over;
 * an Embedding E is folded into the first kernel (one-hot x · (E W) = (x E) W), and a reset_after
 * GRU's bias [2, 3·units] splits into the input bias and the recurrent bias.
 */

const GATES: Record<RecurrentClass, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };
const ARCH: Record<RecurrentClass, Architecture> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'rnn' };

type Json = Record<string, unknown>;

function fail(message: string): never {
  throw new BadRequestError(message, 'weights');
}

export function tfjsToCharModel(modelJson: Json, files: ReadonlyMap<string, Uint8Array>): ImportedModel {
  const plan = planTopology(modelJson);
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
  const first = plan.recurrent[0];
  if (!first) fail('the model has no recurrent layer');
  const H = first.units;
  const G = GATES[first.cls];
  const arch = ARCH[first.cls];
  const weights: NamedArray[] = [];
  let embedding: Float32Array | null = null;
  if (plan.embedding) {
    embedding = need(plan.embedding.name, 'embeddings', [V, plan.embedding.dim], `the Embedding '${plan.embedding.name}' (${V} tokens × ${plan.embedding.dim})`).data;
  }
  plan.recurrent.forEach((r, l) => {
    const inDim = l === 0 ? (plan.embedding ? plan.embedding.dim : V) : H;
    const why = `'${r.name}' (${r.cls}, ${H} units on ${inDim} inputs)`;
    let kernel = need(r.name, 'kernel', [inDim, G * H], why).data;
    if (l === 0 && embedding && plan.embedding) kernel = foldEmbedding(embedding, kernel, V, plan.embedding.dim, G * H);
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
    const prefix = `${arch}_${l}`;
    weights.push({ name: `${prefix}/kernel`, shape: [l === 0 ? V : H, G * H], data: kernel });
    weights.push({ name: `${prefix}/recurrent_kernel`, shape: [H, G * H], data: recurrentKernel });
    weights.push({ name: `${prefix}/bias`, shape: [G * H], data: bias });
    if (recurrentBias) weights.push({ name: `${prefix}/recurrent_bias`, shape: [G * H], data: recurrentBias });
  });
  const d = plan.dense;
  weights.push({ name: 'output/kernel', shape: [H, V], data: need(d.name, 'kernel', [H, V], `the output layer '${d.name}' (${H} → ${V})`).data });
  weights.push({ name: 'output/bias', shape: [V], data: d.useBias ? need(d.name, 'bias', [V], `the output layer '${d.name}'`).data : new Float32Array(V) });
  const unused = loaded.filter((w) => !used.has(w));
  if (unused.length) fail(`the weights include ${unused.map((w) => w.name).join(', ')}, which no instrumented layer uses`);

  const shape: CharModelShape = {
    arch,
    layers: plan.recurrent.length,
    hidden: H,
    vocabSize: V,
    options: { ...DEFAULT_CELL_OPTIONS, recurrentActivation: first.recurrentActivation, activation: first.activation, resetAfter: first.resetAfter },
  };
  const summary = [
    plan.embedding ? `Embedding(${V}→${plan.embedding.dim})` : `one-hot(${V})`,
    `${plan.recurrent.length > 1 ? `${plan.recurrent.length} × ` : ''}${first.cls}(${H}${first.resetAfter ? ', reset_after' : ''}${first.recurrentActivation !== 'sigmoid' ? `, ${first.recurrentActivation} gates` : ''}${first.activation !== 'tanh' ? `, ${first.activation}` : ''})`,
    `Dense softmax(${V})`,
  ].join(' → ');
  return { shape, weights, warnings: plan.warnings, summary };
}
