import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDb } from '../../helpers/temp-db.ts';
import { writeLstmvisProject } from '../../helpers/lstmvis-project.ts';
import type { Db } from '../../../lib/db/client.ts';
import { loadCorpusTokens } from '../../../lib/db/corpora.ts';
import { listLabelTracks } from '../../../lib/db/corpus-labels.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { importLstmvisProject, parseLstmvisDict } from '../../../lib/import/lstmvis-project.ts';
import { folderProject } from '../../../lib/import/project-files.ts';
import { recordingText } from '../../../lib/record/recording-reads.ts';
import { readStateWindow } from '../../../lib/record/window.ts';
import { matchInRecording } from '../../../lib/search/search-service.ts';
import { neuronDetails } from '../../../lib/neurons/neuron-details.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { saliencySourceOfRecording } from '../../../lib/saliency/saliency-source.ts';
import { rankCells } from '../../../lib/search/cell-finder.ts';
import { intervene } from '../../../lib/causal/intervene.ts';
import { causalRank } from '../../../lib/causal/causal-rank.ts';

let db: Db;
let cleanup: () => Promise<void>;
const dir = mkdtempSync(join(tmpdir(), 'cellscope-lstmvis-'));
const WORDS = ['the', 'cat', 'sat', 'on', 'mat', '.', '<eos>'];
const T = 600;
const H = 6;
// A sentence-like id sequence (dict ids start at 1, as LSTMVis's tools write them).
const IDS = Array.from({ length: T }, (_, t) => [1, 2, 3, 4, 1, 5, 6, 7][t % 8] as number);
// Raw (pre-tanh) states with structure: cell 0 high inside "on the mat", cell 1 a ramp.
const raw = (layer: number, t: number, c: number): number => (c === 0 ? ((t % 8) >= 3 && (t % 8) <= 5 ? 2 : -2) : c === 1 ? ((t % 8) / 4 - 1) * 3 : Math.sin(t * 0.3 + c + layer));
const states: Record<string, Float32Array> = {};
for (const [path, layer] of [['states1', 1], ['output1', 1], ['states2', 2], ['output2', 2]] as const) {
  states[path] = Float32Array.from({ length: T * H }, (_, i) => raw(layer, Math.floor(i / H), i % H) * (path.startsWith('output') ? 0.5 : 1));
}

before(async () => {
  ({ db, cleanup } = await tempDb());
  await writeLstmvisProject(join(dir, 'words'), {
    words: WORDS, ids: IDS, states, cells: H,
    pos: { tags: ['DET', 'NOUN', 'VERB', 'ADP', 'PUNCT', 'X'], ids: IDS.map((id) => [0, 1, 2, 3, 1, 4, 5][id - 1] as number) },
    scalar: IDS.map((_, t) => (t % 10) / 10),
  });
});
after(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('an LSTMVis word-level project imports as a word corpus with a completed recording: tanh of the states, words, annotations', async () => {
  const r = await importLstmvisProject(db, folderProject(join(dir, 'words')));
  assert.equal(r.unit, 'word');
  assert.deepEqual([r.timesteps, r.layers, r.hidden, r.quantities.join(',')], [T, 2, H, 'c,h']);
  assert.deepEqual(r.labelTracks.sort(), ['part_of_speech', 'surprise']);
  const rec = await getRecording(db, r.recordingId);
  assert.equal(rec.status, 'completed');
  assert.equal(rec.origin, 'lstmvis');
  assert.equal(rec.unit, 'word');
  // States as LSTMVis shows them (tanh), within float16.
  for (const [layer, q, path] of [[0, 'c', 'states1'], [1, 'h', 'output2']] as const) {
    const w = await readStateWindow(db.raw, rec, layer, q, 100, 140);
    for (let t = 0; t < 40; t++) for (let c = 0; c < H; c++) {
      const want = Math.tanh(states[path]?.[(100 + t) * H + c] ?? NaN);
      assert.ok(Math.abs((w.values[c * 40 + t] ?? NaN) - want) < 1e-3, `${path} at ${100 + t}, cell ${c}`);
    }
  }
  // Words display as words.
  const text = await recordingText(db, rec, 0, 8);
  assert.deepEqual(text.chars, ['the', 'cat', 'sat', 'on', 'the', 'mat', '.', '<eos>']);
  const tokens = await loadCorpusTokens(db, r.corpusId);
  assert.equal(tokens.unit, 'word');
  assert.equal(tokens.ids.length, T);
  // Annotation tracks from the meta section: the discrete one with its dict, the scalar one binned.
  const tracks = await listLabelTracks(db, r.corpusId);
  assert.equal(tracks.length, 2);
  // Select & match works on it, with the annotation under each match.
  const m = await matchInRecording(db, r.recordingId, { layer: 0, quantity: 'c', start: 3, end: 6, threshold: 0.5, cells: [0], limit: 10, strips: true });
  assert.ok(m.matches.length > 0);
  for (const x of m.matches) assert.match(x.text, /^on the mat$/, 'cell 0 is on across "on the mat", word by word');
  assert.ok(Object.keys(m.tags ?? {}).some((t) => ['ADP', 'DET', 'NOUN'].includes(t)), JSON.stringify(m.tags));
  // Neuron pages work; what needs a model or characters says why not.
  const n = await neuronDetails(db, r.recordingId, { layer: 0, quantity: 'c', cell: 0 });
  assert.ok(n.top.length > 0 && n.top[0]?.chars.includes('on'));
  await assert.rejects(saliencySourceOfRecording(db, r.recordingId), /imported from an LSTMVis project: it has states but no model/);
  await assert.rejects(startRecording(db, { runId: r.runId }), /imported LSTMVis project/);
  // Interventions need the weights the project does not have: a 400 naming the recording.
  for (const attempt of [intervene(db, r.recordingId, { layer: 0, quantity: 'h', cells: '0', set: 'zero' }), causalRank(db, r.recordingId, { layer: 0, target: 'feature:quote' })]) {
    await assert.rejects(attempt, (err: Error & { field?: string }) => err.name === 'BadRequestError' && err.field === 'recording' && /no model weights/.test(err.message));
  }
  await assert.rejects(rankCells(db, r.recordingId, { feature: 'quote' }), /defined on characters/);
});

test('a character-level project stays a character corpus', async () => {
  const chars = ['a', 'b', 'c', 'd'];
  const ids = Array.from({ length: 300 }, (_, t) => (t % 4) + 1);
  await writeLstmvisProject(join(dir, 'chars'), { words: chars, ids, states: { states1: Float32Array.from({ length: 300 * 4 }, (_, i) => Math.cos(i)) }, cells: 4 });
  const r = await importLstmvisProject(db, folderProject(join(dir, 'chars')), { name: 'abcd' });
  assert.equal(r.unit, 'char');
  assert.deepEqual(r.quantities, ['c']);
  const rec = await getRecording(db, r.recordingId);
  assert.deepEqual((await recordingText(db, rec, 0, 5)).chars, ['a', 'b', 'c', 'd', 'a']);
});

test('broken projects are refused, naming the file, dataset or line; nothing is stored', async () => {
  const corporaBefore = await db.prisma.corpus.count();
  const base = { words: WORDS, ids: IDS, cells: H };
  assert.throws(() => folderProject(join(dir, 'nowhere')), /is not a folder/);
  await writeLstmvisProject(join(dir, 'badpath'), { ...base, states: { states1: new Float32Array(T * H) }, yml: 'files:\n  states: states.h5\n  train: train.h5\n  words: words.dict\nword_sequence:\n  file: train\n  path: nope\n  dict_file: words\nstates:\n  file: states\n  types: [{type: state, layer: 1, path: states1}]\n' });
  await assert.rejects(importLstmvisProject(db, folderProject(join(dir, 'badpath'))), /train.h5 has no dataset nope/);
  await writeLstmvisProject(join(dir, 'missingfile'), { ...base, states: { states1: new Float32Array(T * H) }, yml: 'files:\n  states: gone.h5\n  train: train.h5\n  words: words.dict\nword_sequence:\n  file: train\n  path: word_ids\n  dict_file: words\nstates:\n  file: states\n  types: [{type: state, layer: 1, path: states1}]\n' });
  await assert.rejects(importLstmvisProject(db, folderProject(join(dir, 'missingfile'))), /file gone.h5 \(states in lstm.yml\) is missing/);
  await writeLstmvisProject(join(dir, 'badtype'), { ...base, states: { states1: new Float32Array(T * H) }, yml: 'files:\n  states: states.h5\n  train: train.h5\n  words: words.dict\nword_sequence:\n  file: train\n  path: word_ids\n  dict_file: words\nstates:\n  file: states\n  types: [{type: gates, layer: 1, path: states1}]\n' });
  await assert.rejects(importLstmvisProject(db, folderProject(join(dir, 'badtype'))), /type "gates"; LSTMVis types are state and output/);
  await writeLstmvisProject(join(dir, 'baddict'), { ...base, states: { states1: new Float32Array(T * H) } });
  writeFileSync(join(dir, 'baddict', 'words.dict'), 'the 1\ncat two\n');
  await assert.rejects(importLstmvisProject(db, folderProject(join(dir, 'baddict'))), /the word dict line 2 is not "token id"/);
  writeFileSync(join(dir, 'baddict', 'words.dict'), 'the 1\ncat 2\n');
  await assert.rejects(importLstmvisProject(db, folderProject(join(dir, 'baddict'))), /the word sequence holds id 3, which the dict does not name/);
  assert.throws(() => parseLstmvisDict('', 'x'), /is empty/);
  // A character dict as LSTMVis reads it: a line that starts with a blank and holds only an id
  // names the space token (" 3"), or a tab ("\t 4"); a lone id without one is still refused.
  assert.deepEqual([...parseLstmvisDict('a 1\nb 2\n 3\n\t 4\r\n', 'the chars dict')], [[1, 'a'], [2, 'b'], [3, ' '], [4, '\t']]);
  assert.throws(() => parseLstmvisDict('a 1\n5\n', 'the chars dict'), /line 2 is not "token id"/);
  assert.throws(() => parseLstmvisDict('a 1\n x\n', 'the chars dict'), /line 2 is not "token id"/);
  assert.throws(() => parseLstmvisDict('the 1\nzebra 70000\n', 'the dict'), /line 2: id 70000 is out of range \(ids run from 0 to 65535\)/);
  assert.equal(await db.prisma.corpus.count(), corporaBefore, 'nothing stored by the refusals');
  // Gaps in the ids (0, and 2 to 6401 here) get distinct private-use placeholders, so a sparse
  // dict still makes a vocabulary.
  const sparseIds = Array.from({ length: 120 }, (_, t) => (t % 2 ? 6402 : 1));
  await writeLstmvisProject(join(dir, 'sparse'), { words: ['a', 'b'], ids: sparseIds, cells: 2, states: { states1: Float32Array.from({ length: 240 }, (_, i) => Math.sin(i)) } });
  writeFileSync(join(dir, 'sparse', 'words.dict'), 'ant 1\nbee 6402\n');
  const sparse = await importLstmvisProject(db, folderProject(join(dir, 'sparse')));
  const rec = await getRecording(db, sparse.recordingId);
  assert.deepEqual((await recordingText(db, rec, 0, 4)).chars, ['ant', 'bee', 'ant', 'bee']);
  assert.equal((await loadCorpusTokens(db, sparse.corpusId)).vocab.chars.length, 6403);
  await db.prisma.corpus.delete({ where: { id: sparse.corpusId } });
  // A character project whose dict names the space token as LSTMVis writes it ("  2") imports.
  await writeLstmvisProject(join(dir, 'spaces'), { words: ['a', ' ', 'b'], ids: Array.from({ length: 90 }, (_, t) => (t % 3) + 1), cells: 2, states: { states1: Float32Array.from({ length: 180 }, (_, i) => Math.cos(i)) } });
  assert.match(readFileSync(join(dir, 'spaces', 'words.dict'), 'utf8'), /\n {2}2\n/);
  const spaced = await importLstmvisProject(db, folderProject(join(dir, 'spaces')));
  assert.equal(spaced.unit, 'char');
  assert.deepEqual((await recordingText(db, await getRecording(db, spaced.recordingId), 0, 4)).chars, ['a', ' ', 'b', 'a']);
  await db.prisma.corpus.delete({ where: { id: spaced.corpusId } });
  assert.equal(await db.prisma.corpus.count(), corporaBefore, 'nothing stored');
});
