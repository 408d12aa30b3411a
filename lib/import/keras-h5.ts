import { BadRequestError } from '../errors.ts';
import { openH5Bytes } from './h5.ts';

/**
 * A legacy Keras model file (`model.save("m.h5")`, Keras 2: keras/saving/legacy/hdf5_format.py)
 * as the model.json and weight shard that tensorflowjs_converter would make of it, so that the
 * TensorFlow.js importer (tfjs-to-char-model.ts) reads it with no conversion step: the root's
 * `model_config` attribute is the topology, and `model_weights/<layer>` names its weights in its
 * `weight_names` attribute, each a dataset at that path ("lstm/lstm_cell/kernel:0"). Read from the
 * uploaded bytes only (h5.ts: nothing outside the file is opened).
 */

type Json = Record<string, unknown>;

/** Most weights one file may name (a recurrent language model has a handful per layer). */
const MAX_WEIGHTS = 4096;

function fail(message: string): never {
  throw new BadRequestError(message, 'files');
}

/** An HDF5 string attribute as text (h5py writes str or bytes). */
function text(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return null;
}

/** An HDF5 list-of-strings attribute (h5py writes a fixed-length bytes array). */
function texts(v: unknown): string[] | null {
  if (Array.isArray(v)) return v.map(text).every((s) => s !== null) ? (v.map(text) as string[]) : null;
  const one = text(v);
  return one === null ? null : [one];
}

/** HDF5's signature, at the start of the file (Keras writes no user block). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export async function kerasH5AsTfjs(bytes: Uint8Array, name: string): Promise<{ modelJson: Json; files: Map<string, Uint8Array> }> {
  if (!HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) fail(`${name} is not an HDF5 file (a Keras model saved with model.save("m.h5") is one)`);
  const f = await openH5Bytes(name, bytes);
  try {
    const configText = text(f.attr('/', 'model_config'));
    if (configText === null) fail(`${name} has no model_config: it holds weights only (model.save_weights); save the whole model with model.save("m.h5")`);
    let config: unknown;
    try {
      config = JSON.parse(configText);
    } catch (err) {
      return fail(`${name}'s model_config is not JSON: ${(err as Error).message}`);
    }
    if (typeof config !== 'object' || config === null || Array.isArray(config)) fail(`${name}'s model_config is not a JSON object`);
    const layers = texts(f.attr('model_weights', 'layer_names'));
    if (!layers) fail(`${name} has no model_weights group with its layer_names: not a Keras model file`);
    const weights: { name: string; shape: number[]; dtype: 'float32' }[] = [];
    const parts: Uint8Array[] = [];
    for (const layer of layers) {
      const names = texts(f.attr(`model_weights/${layer}`, 'weight_names')) ?? [];
      for (const w of names) {
        if (weights.length >= MAX_WEIGHTS) fail(`${name} names over ${MAX_WEIGHTS} weights: not a recurrent language model`);
        const d = f.dataset(`model_weights/${layer}/${w}`);
        if (!d) fail(`${name} names weight ${w} of layer ${layer}, which it does not hold (a truncated file?)`);
        const value = d.value;
        if (!(value instanceof Float32Array) && !(value instanceof Float64Array)) fail(`${name}: weight ${w} is not floating-point`);
        weights.push({ name: w.replace(/:\d+$/, ''), shape: d.shape, dtype: 'float32' });
        parts.push(new Uint8Array(Float32Array.from(value as ArrayLike<number>).buffer));
      }
    }
    const shard = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) {
      shard.set(p, at);
      at += p.length;
    }
    const modelJson: Json = {
      format: 'layers-model',
      modelTopology: { model_config: config, keras_version: text(f.attr('/', 'keras_version')) ?? 'unknown', backend: text(f.attr('/', 'backend')) ?? 'unknown' },
      weightsManifest: [{ paths: ['keras-h5.bin'], weights }],
    };
    return { modelJson, files: new Map([['keras-h5.bin', shard]]) };
  } finally {
    f.close();
  }
}
