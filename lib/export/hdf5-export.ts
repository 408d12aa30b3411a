import { dirname, resolve } from 'node:path';
import { mkdirSync, statSync } from 'node:fs';
import type { Db } from '../db/client.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { getRecording } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { h5DiskBuild, writeStatesDataset } from './h5-writer.ts';

/**
 * A whole recording as one HDF5 file, for h5py and every other HDF5 reader:
 *   /layer<L>/<quantity>  [timesteps][cells] float32, every quantity recorded (c, h, the gates)
 *   /tokens               [timesteps] int32, each position's index into /vocab
 *   /vocab                the tokens as UTF-8 strings
 * and on the root the recording's id, start, end (corpus positions, end exclusive), unit, run,
 * checkpoint step and corpus name as attributes. Written a block at a time (h5-writer.ts).
 */
export interface Hdf5Export {
  file: string;
  bytes: number;
  datasets: { path: string; shape: number[] }[];
}

export async function exportHdf5(db: Db, recordingId: number, outFile: string, opts: { blockSteps?: number } = {}): Promise<Hdf5Export> {
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: export a completed recording`);
  const lib = await h5DiskBuild();
  const file = resolve(outFile);
  mkdirSync(dirname(file), { recursive: true });
  const T = rec.end - rec.start;
  const tokens = await loadCorpusTokens(db, rec.corpusId);
  const datasets: Hdf5Export['datasets'] = [];
  const f = new lib.File(file, 'w');
  try {
    for (const [name, value] of [['recording', rec.id], ['start', rec.start], ['end', rec.end], ['run', rec.runId], ['checkpoint_step', rec.checkpointStep]] as const) f.create_attribute(name, value, null, '<i');
    f.create_attribute('unit', rec.unit);
    f.create_attribute('corpus', rec.corpusName);
    for (const { index: layer, kind, units, quantities } of rec.stack) {
      const group = f.create_group(`layer${layer}`);
      group.create_attribute('kind', kind);
      for (const quantity of quantities) {
        const path = `layer${layer}/${quantity}`;
        await writeStatesDataset(db, rec, { file: f, path, layer, quantity, ...(opts.blockSteps ? { blockSteps: opts.blockSteps } : {}) });
        datasets.push({ path: `/${path}`, shape: [T, units] });
      }
    }
    f.create_dataset({ name: 'tokens', data: Int32Array.from(tokens.ids.subarray(rec.start, rec.end)), shape: [T], dtype: '<i' });
    datasets.push({ path: '/tokens', shape: [T] });
    f.create_dataset({ name: 'vocab', data: [...tokens.vocab.chars] });
    datasets.push({ path: '/vocab', shape: [tokens.vocab.chars.length] });
  } finally {
    f.close();
  }
  return { file, bytes: statSync(file).size, datasets };
}
