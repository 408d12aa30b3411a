import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { Db } from '../db/client.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { getRecording } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { h5DiskBuild, writeStatesDataset } from './h5-writer.ts';

/**
 * A recording as an LSTMVis project folder, as LSTMVis's own data handler reads one
 * (lstmdata/data_handler.py): lstm.yml; states.h5 with each layer's cell state c as `states<L>`
 * (type state) and hidden state h as `output<L>` (type output), [timesteps][cells] float32, layers
 * numbered from 1 as LSTMVis numbers them; train.h5 with the token ids `word_ids`; and words.dict,
 * "token id" per line. Values are the recorded ones, so the states say `transform: none`
 * (LSTMVis would otherwise show tanh of them). A token that is a blank keeps LSTMVis's rule (a
 * line " id" is the space); line breaks and tabs cannot stand in a dict line, so they are written
 * as ⏎ and ⇥ (DICT_STAND_INS). The HDF5 files are written a block at a time (h5-writer.ts).
 */

/** What stands for a character a .dict line cannot hold: one visible character each, so a character-level dict stays one. */
export const DICT_STAND_INS: Readonly<Record<string, string>> = { '\n': '⏎', '\r': '␍', '\t': '⇥' };

/** A token as a .dict line can hold it. */
export function dictToken(token: string): string {
  return token.replace(/[\n\r\t]/g, (ch) => DICT_STAND_INS[ch] ?? ch);
}

export interface LstmvisExport {
  dir: string;
  files: string[];
  timesteps: number;
  layers: number;
  hidden: number;
}

export async function exportLstmvisProject(db: Db, recordingId: number, outDir: string, opts: { blockSteps?: number } = {}): Promise<LstmvisExport> {
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: export a completed recording`);
  const lib = await h5DiskBuild();
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const T = rec.end - rec.start;
  const H = rec.hidden;
  const tokens = await loadCorpusTokens(db, rec.corpusId);

  // The token ids, 1-based as LSTMVis's tools write them (0 is left for padding).
  const train = new lib.File(join(dir, 'train.h5'), 'w');
  try {
    train.create_dataset({ name: 'word_ids', data: Int32Array.from(tokens.ids.subarray(rec.start, rec.end), (id) => id + 1), shape: [T], dtype: '<i' });
  } finally {
    train.close();
  }
  writeFileSync(join(dir, 'words.dict'), tokens.vocab.chars.map((t, id) => `${dictToken(t)} ${id + 1}`).join('\n') + '\n');

  const types: { type: 'state' | 'output'; layer: number; path: string; transform: 'none' }[] = [];
  const states = new lib.File(join(dir, 'states.h5'), 'w');
  try {
    for (const { index: layer, quantities } of rec.stack) {
      for (const [quantity, type, prefix] of [['c', 'state', 'states'], ['h', 'output', 'output']] as const) {
        if (!quantities.includes(quantity)) continue;
        const path = `${prefix}${layer + 1}`;
        await writeStatesDataset(db, rec, { file: states, path, layer, quantity, ...(opts.blockSteps ? { blockSteps: opts.blockSteps } : {}) });
        types.push({ type, layer: layer + 1, path, transform: 'none' });
      }
    }
  } finally {
    states.close();
  }
  const yml = {
    name: `recording ${rec.id}`,
    description: `Exported by Cellscope: recording ${rec.id} of run ${rec.runId} (checkpoint step ${rec.checkpointStep}) over ${rec.corpusName}, positions ${rec.start} to ${rec.end}`,
    files: { states: 'states.h5', train: 'train.h5', words: 'words.dict' },
    word_sequence: { file: 'train', path: 'word_ids', dict_file: 'words' },
    states: { file: 'states', types },
  };
  writeFileSync(join(dir, 'lstm.yml'), stringify(yml));
  return { dir, files: ['lstm.yml', 'states.h5', 'train.h5', 'words.dict'], timesteps: T, layers: rec.layers, hidden: H };
}
