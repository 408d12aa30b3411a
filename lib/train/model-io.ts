import { tf } from '../tf/backend.ts';
import { createCharModel, modelVariables, parameterNames, type CharModel, type CharModelShape } from '../../models/char-model.ts';
import { decodeNamedArrays, encodeNamedArrays, type NamedArray } from './weights-codec.ts';

export function exportWeights(model: CharModel): Uint8Array<ArrayBuffer> {
  const names = parameterNames(model);
  return encodeNamedArrays(
    modelVariables(model).map((v, k) => ({ name: names[k] ?? v.name, shape: v.shape.slice(), data: v.dataSync() as Float32Array })),
  );
}

/** Builds a model of `shape` and loads `bytes` into it, checking every name and shape. */
export function loadModel(shape: CharModelShape, bytes: Uint8Array): CharModel {
  const arrays = new Map(decodeNamedArrays(bytes).map((a) => [a.name, a]));
  const model = createCharModel(shape);
  const vars = modelVariables(model);
  const expected = parameterNames(model);
  for (const [k, v] of vars.entries()) {
    const name = expected[k] ?? v.name;
    const a = arrays.get(name);
    if (!a) throw new Error(`checkpoint lacks weight ${name}`);
    if (a.shape.join('x') !== v.shape.join('x')) {
      throw new Error(`checkpoint weight ${name} has shape ${a.shape.join('x')}, model needs ${v.shape.join('x')}`);
    }
    tf.tidy(() => v.assign(tf.tensor(a.data, a.shape)));
  }
  return model;
}

export async function exportOptimizer(opt: tf.Optimizer): Promise<Uint8Array<ArrayBuffer>> {
  const weights = await opt.getWeights();
  const arrays: NamedArray[] = [];
  for (const w of weights) {
    arrays.push({ name: w.name, shape: w.tensor.shape.slice(), data: Float32Array.from(await w.tensor.data()) });
  }
  return encodeNamedArrays(arrays);
}

export async function importOptimizer(opt: tf.Optimizer, bytes: Uint8Array): Promise<void> {
  const arrays = decodeNamedArrays(bytes);
  const named = arrays.map((a) => ({ name: a.name, tensor: tf.tensor(a.data, a.shape) }));
  await opt.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
}
