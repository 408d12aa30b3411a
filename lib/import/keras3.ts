import { BadRequestError } from '../errors.ts';
import { openH5Bytes } from './h5.ts';
import { KerasWeightShard } from './keras-weights.ts';
import { unzipInMemory } from './unzip-project.ts';

/**
 * A Keras 3 model file (`model.save("m.keras")`: keras/src/saving/saving_lib.py) as the model.json
 * and weight shard the TensorFlow.js importer reads (tfjs-to-char-model.ts). The file is a zip of
 * config.json (the model's serialized config: layers as {module, class_name, config}) and
 * model.weights.h5, which holds each layer's variables in its own order as layers/<name>/vars/<i>
 * (a recurrent layer's under its cell, layers/<name>/cell/vars/<i>; a TimeDistributed layer's
 * under layers/<name>/layer/vars/<i>). The variables are named here as Keras names them, so the
 * importer finds them as it finds a converted model's. Read in memory from the uploaded bytes.
 */

type Json = Record<string, unknown>;

/** Each layer kind's variables, in the order Keras creates (and saves) them. */
const VARIABLES: Record<string, { under: string; names: string[] }> = {
  Embedding: { under: 'vars', names: ['embeddings'] },
  Dense: { under: 'vars', names: ['kernel', 'bias'] },
  LSTM: { under: 'cell/vars', names: ['kernel', 'recurrent_kernel', 'bias'] },
  GRU: { under: 'cell/vars', names: ['kernel', 'recurrent_kernel', 'bias'] },
  SimpleRNN: { under: 'cell/vars', names: ['kernel', 'recurrent_kernel', 'bias'] },
  TimeDistributed: { under: 'layer/vars', names: ['kernel', 'bias'] },
};

function fail(message: string): never {
  throw new BadRequestError(message, 'files');
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function kerasArchiveAsTfjs(bytes: Uint8Array, name: string): Promise<{ modelJson: Json; files: Map<string, Uint8Array> }> {
  const entries = unzipInMemory(bytes);
  const configBytes = entries.get('config.json');
  const weightsBytes = entries.get('model.weights.h5');
  if (!configBytes || !weightsBytes) fail(`${name} is a zip without config.json and model.weights.h5: not a Keras 3 model file`);
  let config: unknown;
  try {
    config = JSON.parse(new TextDecoder().decode(configBytes));
  } catch (err) {
    return fail(`${name}: config.json is not JSON (${(err as Error).message})`);
  }
  const layers = isObject(config) && isObject(config.config) && Array.isArray(config.config.layers) ? (config.config.layers as unknown[]) : null;
  if (!layers) fail(`${name}: config.json has no layers (a Sequential or functional model's config)`);
  const h5 = await openH5Bytes(`${name}'s model.weights.h5`, weightsBytes as Uint8Array);
  try {
    const shard = new KerasWeightShard(name, bytes.length);
    for (const l of layers) {
      if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config) || typeof l.config.name !== 'string') fail(`${name}: a layer of config.json is not {class_name, config: {name}}`);
      const layerName = l.config.name;
      if (l.class_name === 'Bidirectional') {
        // Its forward then its backward layer, each a recurrent layer's cell variables.
        const inner = isObject(l.config.layer) && typeof l.config.layer.class_name === 'string' ? VARIABLES[l.config.layer.class_name] : undefined;
        if (!inner) continue; // the importer names what it wraps
        for (const side of ['forward', 'backward'] as const) inner.names.forEach((variable, i) => shard.add(h5, `layers/${layerName}/${side}_layer/cell/vars/${i}`, `${layerName}/${side}/${variable}`));
        continue;
      }
      const kind = VARIABLES[l.class_name];
      if (!kind) continue; // InputLayer, Dropout, Activation hold no variables (others are refused by the importer)
      // A layer without a bias (use_bias false) saves one variable fewer.
      kind.names.forEach((variable, i) => shard.add(h5, `layers/${layerName}/${kind.under}/${i}`, `${layerName}/${variable}`));
    }
    return shard.modelJson({ model_config: config }, 'keras3.bin');
  } finally {
    h5.close();
  }
}
