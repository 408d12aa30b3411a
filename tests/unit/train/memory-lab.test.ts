import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeTrainJob } from '../../../lib/jobs/train-job.ts';
import { getCorpusSummary } from '../../../lib/db/corpora.ts';
import { getRun } from '../../../lib/db/runs.ts';
import { getLab } from '../../../lib/db/labs.ts';
import { createMemoryLab, labResults } from '../../../lib/train/memory-lab.ts';
import { labSequenceLength, parseMemoryLabConfig, taskLineLength } from '../../../lib/train/memory-lab-config.ts';
import { copyTaskText } from '../../../lib/corpus/tasks/copy-task.ts';
import { addingTaskText } from '../../../lib/corpus/tasks/adding-task.ts';

test('lab configuration: defaults, and clear errors for repeated, unknown or impossible entries', () => {
  const c = parseMemoryLabConfig({ task: 'copy', archs: ['lstm', 'irnn'], gaps: [5, 20] });
  assert.equal(c.hidden, 128);
  assert.equal(c.steps, 4000);
  assert.throws(() => parseMemoryLabConfig({ task: 'copy', archs: ['lstm', 'lstm'], gaps: [5] }), /each architecture once/);
  assert.throws(() => parseMemoryLabConfig({ task: 'copy', archs: ['lstm'], gaps: [5, 5] }), /each gap once/);
  assert.throws(() => parseMemoryLabConfig({ task: 'adding', archs: ['lstm'], gaps: [1] }), /at least 2 digits/);
  assert.throws(() => parseMemoryLabConfig({ task: 'copy', archs: ['transformer'], gaps: [5] }), /archs/);
  assert.throws(() => parseMemoryLabConfig({ task: 'copy', archs: [], gaps: [5] }), /archs/);
  assert.throws(() => parseMemoryLabConfig({ task: 'copy', archs: ['lstm'], gaps: [5], steps: 5 }), /steps/);
  assert.throws(() => parseMemoryLabConfig({ task: 'copy', archs: ['lstm'], gaps: [5], typo: 1 }), /typo/);
});

test('task line lengths match the generated corpora, and the BPTT window holds two lines (at most 512)', () => {
  for (const gap of [0, 7, 40]) {
    assert.equal(copyTaskText({ gap, examples: 1 }).length, taskLineLength('copy', gap));
    assert.equal(labSequenceLength('copy', gap), 2 * (gap + 22));
  }
  for (const length of [2, 9]) assert.equal(addingTaskText({ length, examples: 1 }).length, taskLineLength('adding', length));
  assert.equal(labSequenceLength('copy', 500), 512);
});

test('a lab creates one corpus per gap and one run per (architecture, gap); results measure each trained run once', async () => {
  const { db, cleanup } = await tempDb();
  try {
    const config = parseMemoryLabConfig({ task: 'copy', archs: ['lstm', 'gru'], gaps: [2, 4], hidden: 16, steps: 12, examples: 300, batch: 8 });
    const { lab, jobs } = await createMemoryLab(db, config);
    assert.equal(lab.cells.length, 4);
    assert.equal(new Set(lab.cells.map((c) => c.corpusId)).size, 2);
    const corpus = await getCorpusSummary(db, lab.cells[0]?.corpusId as number);
    assert.match(corpus.name, /copy task, gap 2/);
    const run = await getRun(db, lab.cells[0]?.runId as number);
    assert.equal(run.status, 'queued');
    assert.equal(run.config.seq, labSequenceLength('copy', 2));
    let view = await labResults(db, lab.id);
    assert.equal(view.pending, true);
    assert.ok(view.cells.every((c) => c.accuracy === undefined));
    // Train the first two runs (the gap-2 cells) as the worker would.
    for (const job of jobs.slice(0, 2)) {
      await db.prisma.job.update({ where: { id: job.jobId }, data: { status: 'running' } });
      await executeTrainJob(db, jobContext(db, job.jobId), job.runId);
    }
    view = await labResults(db, lab.id);
    const trained = view.cells.filter((c) => c.gap === 2);
    assert.ok(trained.every((c) => c.status === 'completed' && typeof c.accuracy === 'number' && c.accuracy >= 0 && c.accuracy <= 1 && (c.targets ?? 0) > 0));
    assert.ok(view.cells.filter((c) => c.gap === 4).every((c) => c.accuracy === undefined));
    assert.equal(view.pending, true);
    // The measured accuracies are stored with the lab.
    const stored = await getLab(db, lab.id);
    assert.deepEqual(stored.cells.filter((c) => c.gap === 2).map((c) => c.accuracy), trained.map((c) => c.accuracy));
  } finally {
    await cleanup();
  }
});
