import { BadRequestError } from '../errors.ts';
import type { H5File } from './h5.ts';

/**
 * The weights a Keras file (.keras or legacy .h5) names, gathered into the one float32 shard and
 * manifest that the TensorFlow.js importer reads. Each dataset's size is checked from its shape
 * before it is read: an HDF5 dataset of fill values claims any size in a few bytes (issue 11's
 * finding 5), so what a file may unpack to is tied to its own size.
 */

/** An upload may unpack to at most this many times its bytes of float32 weights (HDF5 may compress). */
export const MAX_WEIGHTS_PER_BYTE = 8;
/** Most weights one file may name (a recurrent language model has a handful per layer). */
const MAX_WEIGHTS = 4096;

export class KerasWeightShard {
  private readonly weights: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  private readonly parts: Uint8Array[] = [];
  private budget: number;

  constructor(
    private readonly what: string,
    uploadedBytes: number,
  ) {
    this.budget = MAX_WEIGHTS_PER_BYTE * uploadedBytes;
  }

  /** Reads the dataset at `path` as weight `name`; false when the file has no such dataset. */
  add(h5: H5File, path: string, name: string): boolean {
    const d = h5.dataset(path);
    if (!d) return false;
    if (this.weights.length >= MAX_WEIGHTS) throw new BadRequestError(`${this.what} names over ${MAX_WEIGHTS} weights: not a recurrent language model`, 'files');
    const bytes = 4 * d.shape.reduce((a, b) => a * b, 1);
    if (!Number.isFinite(bytes) || bytes > this.budget) throw new BadRequestError(`${this.what}: weight ${path} claims shape [${d.shape.join(', ')}], more than the file could hold (at most ${MAX_WEIGHTS_PER_BYTE}× its size in weights)`, 'files');
    this.budget -= bytes;
    const v = d.value;
    if (!(v instanceof Float32Array) && !(v instanceof Float64Array)) throw new BadRequestError(`${this.what}: weight ${path} is not floating-point`, 'files');
    const values = Float32Array.from(v as ArrayLike<number>);
    this.weights.push({ name, shape: d.shape, dtype: 'float32' });
    this.parts.push(new Uint8Array(values.buffer));
    return true;
  }

  /** model.json (with `modelTopology`) and its one shard, as tensorflowjs_converter writes them. */
  modelJson(modelTopology: Record<string, unknown>, shardName: string): { modelJson: Record<string, unknown>; files: Map<string, Uint8Array> } {
    const shard = new Uint8Array(this.parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      shard.set(p, at);
      at += p.length;
    }
    return { modelJson: { format: 'layers-model', modelTopology, weightsManifest: [{ paths: [shardName], weights: this.weights }] }, files: new Map([[shardName, shard]]) };
  }
}
