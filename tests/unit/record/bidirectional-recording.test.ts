import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDb } from '../../helpers/temp-db.ts';
import { FIXTURES, FORWARD, type Forward } from '../../helpers/torch-forward.ts';
import type { Db } from '../../../lib/db/client.ts';
import { createCorpus, createSequenceCorpus } from '../../../lib/db/corpora.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { importModelFile } from '../../../lib/import/import-model.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../../lib/jobs/record-job.ts';
import { recordingPredictions, recordingWindow } from '../../../lib/record/recording-reads.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { BIDIRECTIONAL_WINDOW, wholeSpans } from '../../../lib/record/whole-sequence-recorder.ts';
import { saliencySourceOfRecording } from '../../../lib/saliency/saliency-source.ts';

// Issue 12: a bidirectional model (PyTorch's Embedding → 2-layer bidirectional LSTM(8),
// tests/fixtures/torch/bilstm.pt) is recorded as four layers 0→ 0← 1→ 1←: its backward
// directions read every sequence right to left from its own end, and the stored states are
// PyTorch's (forward.json) to float16 precision. It predicts nothing, and says so.
const want = FORWARD['bilstm.pt'] as Forward;
const CHARS = 'abcdefghijkl';
const first = want.ids.map((id) => CHARS[id]).join('');
const vocab = JSON.stringify(Object.fromEntries([...CHARS].map((c, k) => [c, k])));
const bytes = new Uint8Array(readFileSync(join(FIXTURES, 'bilstm.pt')));

let db: Db;
let cleanup: () => Promise<void>;

before(async () => {
  ({ db, cleanup } = await tempDb());
});
after(() => cleanup());

async function record(corpusId: number, range: { start?: number; end?: number } = {}): Promise<number> {
  const r = await importModelFile(db, { fileName: 'bilstm.pt', bytes, corpusId, vocab });
  assert.deepEqual(r.layers.map((l) => l.direction), ['forward', 'backward', 'forward', 'backward']);
  assert.deepEqual([r.valBpc, r.classifier], [null, null]);
  const started = await startRecording(db, { runId: r.runId, ...range });
  await db.prisma.job.update({ where: { id: started.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, started.jobId), started.recordingId);
  return started.recordingId;
}

test('a corpus of sequences: every direction of every layer holds PyTorch\'s states over its sequence, read from both ends', async () => {
  // The fixture's sequence between two others: the backward directions must start at its own end.
  const corpusId = (await createSequenceCorpus(db, { name: 'three', sequences: { texts: ['lkjih', first, 'abcabc'], labels: [null, null, null] }, unit: 'char' })).id;
  const recordingId = await record(corpusId, { start: 2 });
  const rec = await getRecording(db, recordingId);
  assert.equal(rec.status, 'completed');
  assert.deepEqual(rec.stack.map((l) => [l.name, l.direction, l.units]), [['0→', 'forward', 8], ['0←', 'backward', 8], ['1→', 'forward', 8], ['1←', 'backward', 8]]);
  assert.equal(rec.predictions, false);
  let worst = 0;
  for (const [layer, expected] of want.layers.entries()) {
    for (const q of ['h', 'c'] as const) {
      const w = await recordingWindow(db, recordingId, { layer, quantity: q, start: 5, end: 5 + first.length });
      expected[q]?.forEach((row, t) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs((w.values[j]?.[t] as number) - v) / Math.max(1, Math.abs(v))))));
    }
  }
  assert.ok(worst < 2e-3, `worst relative difference ${worst}`);
  await assert.rejects(recordingPredictions(db, recordingId, 5, 10), /holds no predictions: a bidirectional model has read the next character already/);
  await assert.rejects(saliencySourceOfRecording(db, recordingId), /bidirectional model: it predicts nothing/);
});

test('a continuous text is read in windows of 256 characters, each on its own; the spans cover the range exactly', async () => {
  assert.deepEqual(wholeSpans(10, 600, 1000, undefined), [[10, 266], [266, 522], [522, 600]]);
  assert.deepEqual(wholeSpans(3, 9, 12, Int32Array.from([0, 5, 8])), [[0, 5], [5, 8], [8, 12]]);
  const text = 'abcdefghijkl'.repeat(30);
  const corpusId = (await createCorpus(db, { name: 'long', text })).id;
  const recordingId = await record(corpusId);
  // The window [256, 360) recorded alone, as a corpus of its own: the same backward states.
  const alone = (await createCorpus(db, { name: 'window', text: text.slice(BIDIRECTIONAL_WINDOW) })).id;
  const aloneId = await record(alone);
  const a = await recordingWindow(db, recordingId, { layer: 3, quantity: 'h', start: BIDIRECTIONAL_WINDOW, end: text.length });
  const b = await recordingWindow(db, aloneId, { layer: 3, quantity: 'h', start: 0, end: text.length - BIDIRECTIONAL_WINDOW });
  assert.deepEqual(a.values, b.values);
});
