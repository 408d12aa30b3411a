import type H5wasmDefault from 'h5wasm';
import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { readStateRows } from '../record/window.ts';
import { recordedLayer } from '../record/recorded-layers.ts';

/**
 * Writing HDF5 for exports through h5wasm's disk build (the HDF5 C library compiled to
 * WebAssembly, writing straight to a file): states go into chunked datasets that grow a block of
 * timesteps at a time, so memory stays bounded whatever the recording's size.
 */
export type H5Module = typeof H5wasmDefault;
export type H5WriteFile = InstanceType<H5Module['File']>;

let lib: Promise<H5Module> | undefined;

/** The disk build, loaded once when an export first needs it (~600 MB: the CLI's exports only). */
export async function h5DiskBuild(): Promise<H5Module> {
  const m = await (lib ??= import('h5wasm/node').then((x) => x.default));
  await m.ready;
  return m;
}

/** Timesteps read and written at a time (by default). */
export const BLOCK_STEPS = 8192;

/**
 * One layer's quantity over the whole recording as a [timesteps][cells] float32 dataset at
 * `path` in `file` (its groups made first), read and written a block at a time.
 */
export async function writeStatesDataset(db: Db, rec: RecordingSummary, target: { file: H5WriteFile; path: string; layer: number; quantity: string; blockSteps?: number }): Promise<void> {
  const block = target.blockSteps ?? BLOCK_STEPS;
  const T = rec.end - rec.start;
  const H = recordedLayer(rec, target.layer).units;
  let dataset: ReturnType<H5WriteFile['create_dataset']> | null = null;
  for (let s = rec.start; s < rec.end; s += block) {
    const e = Math.min(rec.end, s + block);
    const rows = (await readStateRows(db.raw, rec, target.layer, target.quantity, s, e)).values;
    if (!dataset) {
      // Created with its first block, growable along time, stored in chunks of rows.
      dataset = target.file.create_dataset({ name: target.path, data: rows, shape: [e - s, H], dtype: '<f', maxshape: [null, H], chunks: [Math.min(block, T), H] });
    } else {
      dataset.resize([e - rec.start, H]);
      dataset.write_slice([[s - rec.start, e - rec.start], [0, H]], rows);
    }
  }
}
