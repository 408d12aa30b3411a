import { BadRequestError } from '../errors.ts';
import { openH5Bytes } from './h5.ts';
import { KerasWeightShard } from './keras-weights.ts';

/**
 * A legacy Keras model file (`model.save("m.h5")`, Keras 2: keras/saving/legacy/hdf5_format.py)
 * as the model.json and weight shard that tensorflowjs_converter would make of it, so that the
 * TensorFlow.js importer (tfjs-to-char-model.ts) reads it with no conversion step: the root's
 * `model_config` attribute is the topology, and `model_weights/<layer>` names its weights in its
 * `weight_names` attribute, each a dataset at that path ("lstm/lstm_cell/kernel:0"). Read from the
 * uploaded bytes only (h5.ts: nothing outside the file is opened).
 */

type Json = Record<string, unknown>;

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
    const shard = new KerasWeightShard(name, bytes.length);
    for (const layer of layers) {
      for (const w of texts(f.attr(`model_weights/${layer}`, 'weight_names')) ?? []) {
        if (!shard.add(f, `model_weights/${layer}/${w}`, w.replace(/:\d+$/, ''))) fail(`${name} names weight ${w} of layer ${layer}, which it does not hold (a truncated file?)`);
      }
    }
    const topology = { model_config: config, keras_version: text(f.attr('/', 'keras_version')) ?? 'unknown', backend: text(f.attr('/', 'backend')) ?? 'unknown' };
    return shard.modelJson(topology, 'keras-h5.bin');
  } finally {
    f.close();
  }
}
