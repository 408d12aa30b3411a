import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDb } from '../../helpers/temp-db.ts';
import { FIXTURES, FORWARD, type Forward } from '../../helpers/torch-forward.ts';
import type { Db } from '../../../lib/db/client.ts';
import { createCorpus } from '../../../lib/db/corpora.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { getRun } from '../../../lib/db/runs.ts';
import { exportBytes, exportStates } from '../../../lib/export/states-export.ts';
import { importModelFile } from '../../../lib/import/import-model.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../../lib/jobs/record-job.ts';
import { neuronDetails } from '../../../lib/neurons/neuron-details.ts';
import { recordingWindow } from '../../../lib/record/recording-reads.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { rankCells } from '../../../lib/search/cell-finder.ts';
import { matchInRecording } from '../../../lib/search/search-service.ts';

// Issue 12: a model is a list of layers. PyTorch's Embedding → LSTM(24) → GRU(16) → Linear
// (tests/fixtures/torch/mixed-lm.pt) is imported, recorded and read back layer by layer: layer 0
// has an LSTM's 24 cells and c h i f o g, layer 1 a GRU's 16 cells and h z r n, and the stored
// states are PyTorch's own forward pass (forward.json) to float16's precision.
const want = FORWARD['mixed-lm.pt'] as Forward;
// Characters a..l are tokens 0..11 in Cellscope's sorted order, so the corpus reads the ids of
// forward.json from its first character; repeated so the corpus has a validation split.
const CHARS = 'abcdefghijkl';
const first = want.ids.map((id) => CHARS[id]).join('');
const TEXT = first + first.split('').reverse().join('').repeat(20);

let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
let runId = 0;

before(async () => {
  ({ db, cleanup } = await tempDb());
  const corpusId = (await createCorpus(db, { name: 'ids', text: TEXT })).id;
  const imported = await importModelFile(db, { fileName: 'mixed-lm.pt', bytes: new Uint8Array(readFileSync(join(FIXTURES, 'mixed-lm.pt'))), corpusId });
  assert.deepEqual(imported.layers, [{ kind: 'lstm', units: 24, direction: 'forward' }, { kind: 'gru', units: 16, direction: 'forward' }]);
  runId = imported.runId;
  const started = await startRecording(db, { runId, start: 0, end: TEXT.length });
  await db.prisma.job.update({ where: { id: started.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, started.jobId), started.recordingId);
  recordingId = started.recordingId;
});
after(() => cleanup());

test('the run and the recording describe each layer: kind, cells and what it records', async () => {
  const run = await getRun(db, runId);
  assert.deepEqual(run.config.stack?.map((l) => [l.arch, l.units, l.resetAfter]), [['lstm', 24, false], ['gru', 16, true]]);
  const rec = await getRecording(db, recordingId);
  assert.equal(rec.status, 'completed');
  assert.deepEqual(rec.stack.map((l) => [l.index, l.kind, l.units, l.quantities.join(' ')]), [[0, 'lstm', 24, 'c h i f o g'], [1, 'gru', 16, 'h z r n']]);
  assert.deepEqual([rec.layers, rec.hidden], [2, 24], 'hidden is the widest layer');
});

test('each layer\'s stored states are PyTorch\'s forward pass, to float16 precision', async () => {
  let worst = 0;
  for (const [layer, q] of [[0, 'h'], [0, 'c'], [1, 'h']] as const) {
    const expected = want.layers[layer]?.[q];
    assert.ok(expected, `forward.json has layer ${layer} ${q}`);
    const w = await recordingWindow(db, recordingId, { layer, quantity: q, start: 0, end: want.ids.length });
    assert.equal(w.cells.length, expected[0]?.length, `layer ${layer} has PyTorch's number of cells`);
    expected.forEach((row, t) => row.forEach((v, j) => {
      const got = w.values[j]?.[t] as number;
      worst = Math.max(worst, Math.abs(got - v) / Math.max(1, Math.abs(v)));
    }));
  }
  assert.ok(worst < 2e-3, `worst relative difference ${worst}`);
});

test('questions go by the layer asked for: a GRU layer has 16 cells and no c', async () => {
  await assert.rejects(recordingWindow(db, recordingId, { layer: 1, quantity: 'c', start: 0, end: 10 }), /quantity must be one of h, z, r, n for layer 1/);
  await assert.rejects(recordingWindow(db, recordingId, { layer: 1, quantity: 'h', start: 0, end: 10, cells: [20] }), /cell 20 does not exist: layer 1 has cells 0-15/);
  const gate = await recordingWindow(db, recordingId, { layer: 1, quantity: 'z', start: 0, end: 10, cells: [15] });
  assert.ok(gate.values[0]?.every((v) => v > 0 && v < 1), 'the update gate lies in (0, 1)');
  const neuron = await neuronDetails(db, recordingId, { layer: 1, quantity: 'n', cell: 15 });
  assert.equal(neuron.top.length > 0, true);
  await assert.rejects(neuronDetails(db, recordingId, { layer: 1, quantity: 'h', cell: 16 }), /cell 16 does not exist: layer 1 has cells 0-15/);
  const npy = await exportBytes(await exportStates(db, recordingId, { layer: 1, quantity: 'h', format: 'npy' }));
  const header = new TextDecoder().decode(npy.subarray(10, 80));
  assert.match(header, new RegExp(`'shape': \\(${TEXT.length}, 16\\)`));
});

test('the cell finder ranks both layers\' cells, and select & match runs on the GRU layer', async () => {
  const ranking = await rankCells(db, recordingId, { feature: 'regex', regex: '[aei]', limit: 1000 });
  const byLayer = (l: number) => ranking.cells.filter((c) => c.layer === l);
  assert.equal(byLayer(0).length, 24 * 2, 'layer 0: c and h of 24 cells');
  assert.equal(byLayer(1).length, 16, 'layer 1: h of 16 cells');
  assert.ok(byLayer(1).every((c) => c.quantity === 'h' && c.index < 16));
  const match = await matchInRecording(db, recordingId, { layer: 1, quantity: 'h', threshold: 0.1, start: 3, end: 6, cells: [0, 15] });
  assert.deepEqual(match.cells, [0, 15]);
  await assert.rejects(matchInRecording(db, recordingId, { layer: 1, quantity: 'h', threshold: 0.1, start: 3, end: 6, cells: [16] }), /cell 16 does not exist: layer 1 has cells 0-15/);
});
