import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { dictToken, exportLstmvisProject } from '../../../lib/export/lstmvis-export.ts';
import { importLstmvisProject, parseLstmvisDict } from '../../../lib/import/lstmvis-project.ts';
import { folderProject } from '../../../lib/import/project-files.ts';
import { recordingText } from '../../../lib/record/recording-reads.ts';
import { readStateWindow } from '../../../lib/record/window.ts';

// Issue 12, take it out again: a recording as an LSTMVis project (lstm.yml, states.h5,
// train.h5, words.dict) that LSTMVis's data handler reads; checked by importing it back through
// Cellscope's LSTMVis importer (h5wasm, the HDF5 C library): every layer's c and h come back
// exactly, the text too.
let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
const dir = mkdtempSync(join(tmpdir(), 'cellscope-lv-export-'));
const TEXT = 'the cat sat.\n\tthe mat sat.\n'.repeat(30);

before(async () => {
  ({ db, cleanup } = await tempDb());
  const { runId } = await trainedRun(db, TEXT, { layers: 2, hidden: 16, batch: 4, seq: 16, steps: 5, evalEvery: 5, checkpointEvery: 5, evalChars: 100 });
  recordingId = await recordedRange(db, { runId, start: 7, end: 600, gates: false });
});
after(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('a recording exported as an LSTMVis project imports back with the same states and text', async () => {
  // Blocks of 100 steps: the datasets grow block by block, as a long recording's do.
  const out = await exportLstmvisProject(db, recordingId, join(dir, 'project'), { blockSteps: 100 });
  assert.deepEqual([out.timesteps, out.layers, out.hidden], [593, 2, 16]);
  const yml = parse(readFileSync(join(out.dir, 'lstm.yml'), 'utf8')) as { states: { types: { type: string; layer: number; path: string; transform: string }[] }; word_sequence: { path: string } };
  assert.deepEqual(yml.states.types.map((t) => `${t.type}:${t.layer}:${t.path}:${t.transform}`), ['state:1:states1:none', 'output:1:output1:none', 'state:2:states2:none', 'output:2:output2:none']);
  // The dict as LSTMVis reads it: a blank line-start names the space; breaks and tabs escaped.
  const dict = parseLstmvisDict(readFileSync(join(out.dir, 'words.dict'), 'utf8'), 'words.dict');
  assert.ok([...dict.values()].includes(' ') && [...dict.values()].includes('⏎') && [...dict.values()].includes('⇥'));
  assert.equal(dictToken('\n'), '⏎');

  const back = await importLstmvisProject(db, folderProject(out.dir));
  assert.deepEqual([back.timesteps, back.layers, back.hidden, back.quantities], [593, 2, 16, ['c', 'h']]);
  const rec = await getRecording(db, recordingId);
  const imported = await getRecording(db, back.recordingId);
  for (let layer = 0; layer < 2; layer++) {
    for (const q of ['c', 'h']) {
      const a = await readStateWindow(db.raw, rec, layer, q, rec.start, rec.end);
      const b = await readStateWindow(db.raw, imported, layer, q, imported.start, imported.end);
      assert.deepEqual(Array.from(b.values), Array.from(a.values), `layer ${layer} ${q}`);
    }
  }
  const text = (await recordingText(db, imported, 0, 14)).chars;
  assert.deepEqual(text, [...TEXT.slice(7, 21)].map(dictToken));
  assert.equal(back.unit, 'char');
});
