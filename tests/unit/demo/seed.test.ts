import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb, waitFor } from '../../helpers/temp-db.ts';
import { ensureDemo, DEMO_RECORD_CHARS } from '../../../lib/demo/seed.ts';
import { readDemoCheckpoint } from '../../../lib/demo/demo-checkpoint.ts';
import { mobyDickText } from '../../../lib/demo/moby-dick.ts';
import { buildVocab, encode } from '../../../lib/corpus/vocab.ts';
import { trainEndFor } from '../../../lib/corpus/split.ts';
import { getJob, listJobs } from '../../../lib/db/jobs.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { startWorker } from '../../../lib/jobs/worker.ts';
import { loadModel } from '../../../lib/train/model-io.ts';
import { evaluateBpc } from '../../../lib/train/evaluate.ts';
import { ensureBackend } from '../../../lib/tf/backend.ts';
import { disposeModel } from '../../../models/char-model.ts';

test('the committed demo checkpoint is a trained model of the Moby-Dick text: its validation loss reproduces', async () => {
  await ensureBackend();
  const demo = readDemoCheckpoint();
  assert.ok(demo, 'models/demo checkpoint is committed');
  const text = mobyDickText();
  const vocab = buildVocab(text);
  assert.deepEqual(vocab.chars, demo.meta.vocab);
  const ids = encode(text, vocab);
  const model = loadModel({ arch: 'lstm', layers: demo.meta.config.layers, hidden: demo.meta.config.hidden, vocabSize: vocab.chars.length }, demo.weights);
  const bpc = evaluateBpc(model, ids.subarray(trainEndFor(ids.length)), demo.meta.config.evalChars);
  disposeModel(model);
  assert.ok(Math.abs(bpc - demo.meta.valBpc) < 1e-3, `${bpc} vs recorded ${demo.meta.valBpc}`);
  assert.ok(bpc < 2.6, `demo model is trained (validation ${bpc} bits/char)`);
});

test('first start on an empty database creates the demo and records it; later starts do nothing', { timeout: 120_000 }, async () => {
  const { db, cleanup } = await tempDb();
  const previous = process.env.CELLSCOPE_DEMO;
  try {
    process.env.CELLSCOPE_DEMO = '0';
    assert.equal(await ensureDemo(db, () => {}), undefined);
    assert.equal(await db.prisma.corpus.count(), 0);
    delete process.env.CELLSCOPE_DEMO;
    const created = await ensureDemo(db, () => {});
    assert.ok(created);
    assert.equal(await ensureDemo(db, () => {}), undefined, 'not created twice');
    assert.equal(await db.prisma.run.count(), 1);
    const job = (await listJobs(db, { recordingId: created.recordingId }))[0];
    assert.ok(job);
    const worker = startWorker(db, { pollMs: 20, log: () => {} });
    try {
      await waitFor('demo recording', async () => (await getJob(db, job.id)).status === 'completed', 100_000);
    } finally {
      await worker.stop();
    }
    const rec = await getRecording(db, created.recordingId);
    assert.equal(rec.status, 'completed');
    assert.equal(rec.end - rec.start, DEMO_RECORD_CHARS);
  } finally {
    if (previous === undefined) delete process.env.CELLSCOPE_DEMO;
    else process.env.CELLSCOPE_DEMO = previous;
    await cleanup();
  }
});
