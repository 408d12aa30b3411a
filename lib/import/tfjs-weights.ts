import { BadRequestError } from '../errors.ts';

/**
 * The weights of a TensorFlow.js LayersModel: model.json's weightsManifest ([{paths, weights:
 * [{name, shape, dtype}]}]) over the binary shard files, concatenated group by group in path
 * order. Sizes are checked from the manifest before anything is read or allocated.
 */
export const MAX_IMPORT_PARAMETERS = 100_000_000;

export interface ManifestWeight {
  name: string;
  shape: number[];
}

export interface LoadedWeight extends ManifestWeight {
  data: Float32Array;
}

type Json = Record<string, unknown>;

function fail(message: string, field = 'weights'): never {
  throw new BadRequestError(message, field);
}

/** The manifest's groups, checked: names, shapes, dtype float32, a sane total size. */
export function readManifest(modelJson: Json): { groups: { paths: string[]; weights: ManifestWeight[] }[]; totalBytes: number } {
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) fail('model.json has no weightsManifest: the weight files cannot be matched', 'model');
  let params = 0;
  const groups = manifest.map((g, k) => {
    if (typeof g !== 'object' || g === null) fail(`weightsManifest group ${k} is not an object`, 'model');
    const { paths, weights } = g as Json;
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string')) fail(`weightsManifest group ${k} lists no weight files`, 'model');
    if (!Array.isArray(weights)) fail(`weightsManifest group ${k} lists no weights`, 'model');
    return {
      paths: paths,
      weights: weights.map((w, j) => {
        const { name, shape, dtype, quantization } = (w ?? {}) as Json;
        if (typeof name !== 'string') fail(`weight ${j} of group ${k} has no name`, 'model');
        if (quantization !== undefined) fail(`weight ${name} is quantized; Cellscope reads float32 weights (convert without --quantize)`);
        if (dtype !== undefined && dtype !== 'float32') fail(`weight ${name} is ${String(dtype)}; Cellscope reads float32 weights`);
        if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= MAX_IMPORT_PARAMETERS)) fail(`weight ${name} has no valid shape`, 'model');
        const size = (shape as number[]).reduce((a, b) => a * b, 1);
        params += size;
        if (params > MAX_IMPORT_PARAMETERS) fail(`the weights declare over ${MAX_IMPORT_PARAMETERS.toLocaleString('en-US')} parameters (at ${name}); Cellscope takes models up to that size`);
        return { name, shape: shape as number[] };
      }),
    };
  });
  return { groups, totalBytes: params * 4 };
}

/**
 * Every manifest weight's values. `files` maps a path as model.json names it (or its base name)
 * to its bytes; a missing file, or shards shorter or longer than the manifest says, is refused
 * naming the file or the first weight that does not fit.
 */
export function loadWeights(modelJson: Json, files: ReadonlyMap<string, Uint8Array>): LoadedWeight[] {
  const { groups } = readManifest(modelJson);
  const out: LoadedWeight[] = [];
  const byBase = new Map([...files].map(([p, b]) => [p.split('/').pop() ?? p, b]));
  for (const g of groups) {
    const shards = g.paths.map((p) => {
      const bytes = files.get(p) ?? byBase.get(p.split('/').pop() ?? p);
      if (!bytes) fail(`weight file ${p} (named in model.json) was not uploaded`);
      return bytes;
    });
    const total = shards.reduce((a, b) => a + b.byteLength, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      joined.set(s, at);
      at += s.byteLength;
    }
    let offset = 0;
    for (const w of g.weights) {
      const bytes = w.shape.reduce((a, b) => a * b, 1) * 4;
      if (offset + bytes > total) fail(`weight ${w.name} (shape [${w.shape.join(', ')}]) runs past the end of ${g.paths.join(' + ')} (${total} bytes): the weight files do not match model.json`);
      const data = new Float32Array(joined.buffer.slice(offset, offset + bytes));
      const bad = data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) fail(`weight ${w.name} holds ${data[bad]} at index ${bad}: weights must be finite numbers`);
      out.push({ ...w, data });
      offset += bytes;
    }
    if (offset !== total) fail(`${g.paths.join(' + ')} hold ${total} bytes but model.json's weights take ${offset}: the weight files do not match model.json`);
  }
  return out;
}
