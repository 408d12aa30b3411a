import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';

/**
 * Writes an LSTMVis project as its documentation lays one out (lstm.yml, states and token HDF5
 * files, .dict files, a discrete and a scalar annotation), with h5wasm, for the import tests.
 */
export async function writeLstmvisProject(dir: string, p: { words: string[]; ids: number[]; states: Record<string, Float32Array>; cells: number; pos?: { tags: string[]; ids: number[] }; scalar?: number[]; yml?: string }): Promise<void> {
  await h5wasm.ready;
  mkdirSync(dir, { recursive: true });
  const T = p.ids.length;
  const states = new h5wasm.File(join(dir, 'states.h5'), 'w');
  for (const [path, data] of Object.entries(p.states)) states.create_dataset({ name: path, data, shape: [T, p.cells], dtype: '<f4' });
  states.close();
  const train = new h5wasm.File(join(dir, 'train.h5'), 'w');
  train.create_dataset({ name: 'word_ids', data: Int32Array.from(p.ids), shape: [T], dtype: '<i4' });
  train.close();
  writeFileSync(join(dir, 'words.dict'), p.words.map((w, k) => `${w} ${k + 1}`).join('\n') + '\n');
  let meta = '';
  if (p.pos) {
    const f = new h5wasm.File(join(dir, 'pos.h5'), 'w');
    f.create_dataset({ name: 'pos', data: Int32Array.from(p.pos.ids), shape: [T], dtype: '<i4' });
    f.close();
    writeFileSync(join(dir, 'pos.dict'), p.pos.tags.map((t, k) => `${t} ${k}`).join('\n') + '\n');
    meta += '  part_of_speech:\n    file: pos\n    path: pos\n    dict: pos_dict\n    vis:\n      type: discrete\n      range: dict\n';
  }
  if (p.scalar) {
    const f = new h5wasm.File(join(dir, 'score.h5'), 'w');
    f.create_dataset({ name: 'score', data: Float32Array.from(p.scalar), shape: [T], dtype: '<f4' });
    f.close();
    meta += '  surprise:\n    file: score\n    path: score\n    vis:\n      type: scalar\n      range: [0, 1]\n';
  }
  const types = Object.keys(p.states).map((path) => {
    const m = /^(states|output)(\d+)$/.exec(path);
    return `        {type: ${m?.[1] === 'output' ? 'output' : 'state'}, layer: ${m?.[2] ?? 1}, path: ${path}}`;
  });
  writeFileSync(join(dir, 'lstm.yml'), p.yml ?? `name: test project
description: written by the tests

files:
  states: states.h5
  train: train.h5
  words: words.dict
${p.pos ? '  pos: pos.h5\n  pos_dict: pos.dict\n' : ''}${p.scalar ? '  score: score.h5\n' : ''}
word_sequence:
  file: train
  path: word_ids
  dict_file: words

states:
  file: states
  types: [
${types.join(',\n')}
  ]
${meta ? `\nmeta:\n${meta}` : ''}`);
}
