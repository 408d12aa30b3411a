import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { tempDb, waitFor } from '../../helpers/temp-db.ts';
import { createCorpus } from '../../../lib/db/corpora.ts';
import { claimNextJob, getJob, requestCancel } from '../../../lib/db/jobs.ts';
import { getRun, listCheckpoints } from '../../../lib/db/runs.ts';
import { listMetrics } from '../../../lib/db/run-metrics.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { startWorker } from '../../../lib/jobs/worker.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { startTrainingRun } from '../../../lib/train/start-run.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { readPredictionWindow, readStateWindow } from '../../../lib/record/window.ts';

const text = 'It was the best of times, it was the worst of times; "quoted (nested) text" here.\n'.repeat(60);
const small = (over: Record<string, number> = {}) =>
  parseTrainConfig({ hidden: 16, batch: 4, seq: 16, steps: 20, checkpointEvery: 10, evalEvery: 10, evalChars: 200, ...over });

test('queued jobs: claimed once, cancelled at once while queued', async () => {
  const { db, cleanup } = await tempDb();
  const corpus = await createCorpus(db, { name: 't', text });
  const a = await startTrainingRun(db, { corpusId: corpus.id, config: small() });
  const b = await startTrainingRun(db, { corpusId: corpus.id, config: small() });
  const cancelled = await requestCancel(db, b.jobId);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal((await getRun(db, b.runId)).status, 'cancelled');
  const claimed = await claimNextJob(db);
  assert.equal(claimed?.id, a.jobId);
  assert.equal(claimed?.status, 'running');
  assert.equal(await claimNextJob(db), undefined);
  await assert.rejects(startTrainingRun(db, { corpusId: corpus.id, config: small({ batch: 256, seq: 512 }) }), /needs at least/);
  await cleanup();
});

test('the worker trains a run with checkpoints, then records it; the recording reads back', async () => {
  const { db, cleanup } = await tempDb();
  const corpus = await createCorpus(db, { name: 't', text });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config: small() });
  const worker = startWorker(db, { pollMs: 20, log: () => {} });
  try {
    await waitFor('training', async () => (await getJob(db, jobId)).status === 'completed');
    const run = await getRun(db, runId);
    assert.equal(run.status, 'completed');
    assert.equal(run.step, 20);
    assert.ok((await listMetrics(db, runId)).some((m) => m.valBpc !== undefined));
    assert.equal(run.lastValBpc, (await listMetrics(db, runId)).findLast((m) => m.valBpc !== undefined)?.valBpc);
    const cks = await listCheckpoints(db, runId);
    assert.deepEqual(cks.map((c) => c.step), [10, 20]);
    const withOptimizer = await db.prisma.checkpoint.count({ where: { runId, optimizer: { not: null } } });
    assert.equal(withOptimizer, 1, 'only the newest checkpoint keeps optimizer state');

    const rec = await startRecording(db, { runId, start: 5, end: 1005 });
    await waitFor('recording', async () => (await getJob(db, rec.jobId)).status === 'completed');
    const summary = await getRecording(db, rec.recordingId);
    assert.equal(summary.status, 'completed');
    const w = await readStateWindow(db.raw, summary, 0, 'f', 990, 2000, [0, 15]);
    assert.equal(w.start, 990);
    assert.equal(w.end, 1005); // clamped to the recorded range
    assert.equal(w.values.length, 2 * 15);
    for (const v of w.values) assert.ok(v > 0 && v < 1, `forget gate ${v} in (0, 1)`);
    const p = await readPredictionWindow(db.raw, summary, 5, 10);
    for (let t = 0; t < 5; t++) {
      const probs = Array.from(p.topProb.subarray(t * 5, t * 5 + 5));
      assert.deepEqual([...probs].sort((x, y) => y - x), probs, 'top-5 sorted');
      assert.ok((p.nextProb[t] ?? 0) > 0);
    }
    await assert.rejects(startRecording(db, { runId, start: 10, end: 5 }), /end must be/);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

test('a running job is cancelled at its next step', async () => {
  const { db, cleanup } = await tempDb();
  const corpus = await createCorpus(db, { name: 't', text });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config: small({ steps: 100000, checkpointEvery: 100000, evalEvery: 100000 }) });
  const worker = startWorker(db, { pollMs: 20, log: () => {} });
  try {
    await waitFor('training to start', async () => (await getRun(db, runId)).step > 2);
    await requestCancel(db, jobId);
    await waitFor('cancel', async () => (await getJob(db, jobId)).status === 'cancelled');
    assert.equal((await getRun(db, runId)).status, 'cancelled');
  } finally {
    await worker.stop();
    await cleanup();
  }
});

test('after the worker process is killed, a restarted worker resumes training from the last checkpoint', async () => {
  const { db, url, cleanup } = await tempDb();
  const corpus = await createCorpus(db, { name: 't', text });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config: small({ steps: 400, checkpointEvery: 10, evalEvery: 1000 }) });
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/worker-process.ts'], { env: { ...process.env, DATABASE_URL: url }, stdio: 'ignore' });
  try {
    await waitFor('a checkpoint', async () => (await listCheckpoints(db, runId)).length >= 1, 60_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  } finally {
    child.kill('SIGKILL');
  }
  const orphan = await getJob(db, jobId);
  assert.equal(orphan.status, 'running', 'a killed worker leaves its job running');
  const killedAt = (await listCheckpoints(db, runId)).at(-1)?.step ?? 0;
  assert.ok(killedAt >= 10 && killedAt < 400, `killed at checkpoint ${killedAt}`);

  const worker = startWorker(db, { pollMs: 20, log: () => {} });
  try {
    await waitFor('resumed training', async () => (await getJob(db, jobId)).status === 'completed', 120_000);
  } finally {
    await worker.stop();
  }
  const run = await getRun(db, runId);
  assert.equal(run.status, 'completed');
  assert.equal(run.step, 400);
  const steps = (await listMetrics(db, runId)).map((m) => m.step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'metric history is in step order, without repeats');
  assert.equal(new Set(steps).size, steps.length);
  const job = await db.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
  assert.equal(job.attempts, 2);
  await cleanup();
});

test('a running recording is cancelled and leaves no partial states', async () => {
  const { db, cleanup } = await tempDb();
  // ~1M characters at 1x128: a recording of several seconds, so the cancel lands mid-way.
  const corpus = await createCorpus(db, { name: 't', text: text.repeat(200) });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config: small({ hidden: 128, steps: 1, checkpointEvery: 1, evalEvery: 1 }) });
  const worker = startWorker(db, { pollMs: 20, log: () => {} });
  try {
    await waitFor('training', async () => (await getJob(db, jobId)).status === 'completed');
    const rec = await startRecording(db, { runId });
    await waitFor('recording to start', async () => (await getJob(db, rec.jobId)).progress > 0);
    await requestCancel(db, rec.jobId);
    await waitFor('cancel', async () => (await getJob(db, rec.jobId)).status === 'cancelled');
    assert.equal((await getRecording(db, rec.recordingId)).status, 'cancelled');
    assert.equal(await db.prisma.stateChunk.count({ where: { recordingId: rec.recordingId } }), 0);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

test('leases: a job another live process holds is left to it; an expired lease or a dead holder on this host is taken over (issue 11, finding 12)', async () => {
  const { db, cleanup } = await tempDb();
  const corpus = await createCorpus(db, { name: 't', text });
  const held = await startTrainingRun(db, { corpusId: corpus.id, config: small({ steps: 2, checkpointEvery: 2, evalEvery: 2 }) });
  const local = await startTrainingRun(db, { corpusId: corpus.id, config: small({ steps: 2, checkpointEvery: 2, evalEvery: 2 }) });
  const soon = new Date(Date.now() + 60_000);
  // One held by a live server elsewhere, one by a live process on this host (our parent).
  await db.prisma.job.update({ where: { id: held.jobId }, data: { status: 'running', leaseOwner: 'other-host/4242/abcd', leaseExpiresAt: soon } });
  await db.prisma.job.update({ where: { id: local.jobId }, data: { status: 'running', leaseOwner: `${hostname()}/${process.ppid}/abcd`, leaseExpiresAt: soon } });
  const worker = startWorker(db, { pollMs: 20, log: () => {} });
  try {
    await new Promise((r) => setTimeout(r, 400));
    for (const id of [held.jobId, local.jobId]) {
      const job = await db.prisma.job.findUniqueOrThrow({ where: { id } });
      assert.equal(job.status, 'running');
      assert.equal(job.attempts, 0, 'not re-run by this worker');
    }
    // The remote holder's lease runs out; the local one dies.
    await db.prisma.job.update({ where: { id: held.jobId }, data: { leaseExpiresAt: new Date(Date.now() - 1000) } });
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.once('exit', r));
    await db.prisma.job.update({ where: { id: local.jobId }, data: { leaseOwner: `${hostname()}/${dead.pid}/abcd` } });
    await waitFor('both taken over', async () => (await getJob(db, held.jobId)).status === 'completed' && (await getJob(db, local.jobId)).status === 'completed');
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: held.jobId } });
    assert.equal(job.attempts, 1);
    assert.equal(job.leaseOwner, null, 'a finished job holds no lease');
  } finally {
    await worker.stop();
    await cleanup();
  }
});

test('the worker survives database errors (a transient lock) and goes on with the queue (issue 11, finding 13)', async () => {
  const { db, cleanup } = await tempDb();
  const corpus = await createCorpus(db, { name: 't', text });
  const { jobId } = await startTrainingRun(db, { corpusId: corpus.id, config: small({ steps: 2, checkpointEvery: 2, evalEvery: 2 }) });
  let failures = 3;
  const jobs = db.prisma.job;
  const flaky = new Proxy(jobs, {
    get(target, prop, receiver) {
      if (prop === 'findMany' && failures > 0) {
        return async () => {
          failures--;
          throw new Error('SQLITE_BUSY: database is locked');
        };
      }
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const prisma = new Proxy(db.prisma, { get: (t, p, r) => (p === 'job' ? flaky : Reflect.get(t, p, r)) });
  const lines: string[] = [];
  const rejections: unknown[] = [];
  const onRejection = (err: unknown): void => void rejections.push(err);
  process.on('unhandledRejection', onRejection);
  const worker = startWorker({ ...db, prisma }, { pollMs: 10, log: (l) => lines.push(l) });
  try {
    await waitFor('the job, after the errors', async () => (await getJob(db, jobId)).status === 'completed');
    assert.equal(failures, 0);
    assert.equal(lines.filter((l) => /database error \(retrying\): SQLITE_BUSY/.test(l)).length, 3);
    assert.deepEqual(rejections, []);
  } finally {
    process.off('unhandledRejection', onRejection);
    await worker.stop();
    await cleanup();
  }
});

test('a full disk mid-recording: the partial states are removed, then the recording and its job are marked failed, never left running (issue 11, finding 14)', async () => {
  const { db, cleanup } = await tempDb();
  const corpus = await createCorpus(db, { name: 't', text: text.repeat(4) });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config: small({ steps: 2, checkpointEvery: 2, evalEvery: 2 }) });
  // The disk "fills up" at the second batch of chunks (each stream of 512 steps writes chunks 2k
  // then 2k + 1), and stays full while the partial data is
  // there: writing the failed status needs the room the partial states hold.
  await db.raw.exec(`
    CREATE TRIGGER disk_full_chunks BEFORE INSERT ON "StateChunk" WHEN NEW."chunk" % 2 = 1
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
    CREATE TRIGGER disk_full_status BEFORE UPDATE OF "status" ON "Recording" WHEN NEW."status" = 'failed' AND EXISTS (SELECT 1 FROM "StateChunk" WHERE "recordingId" = NEW."id")
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;
    CREATE TRIGGER disk_full_job BEFORE UPDATE OF "status" ON "Job" WHEN NEW."status" = 'failed' AND EXISTS (SELECT 1 FROM "StateChunk" WHERE "recordingId" = NEW."recordingId")
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
  const worker = startWorker(db, { pollMs: 20, log: () => {} });
  try {
    await waitFor('training', async () => (await getJob(db, jobId)).status === 'completed');
    const rec = await startRecording(db, { runId });
    await waitFor('the recording to end', async () => ['failed', 'completed'].includes((await getJob(db, rec.jobId)).status), 60_000);
    const job = await getJob(db, rec.jobId);
    assert.equal(job.status, 'failed');
    assert.match(job.error ?? '', /database or disk is full/);
    assert.equal((await getRecording(db, rec.recordingId)).status, 'failed');
    assert.equal(await db.prisma.stateChunk.count({ where: { recordingId: rec.recordingId } }), 0, 'no partial states left');
    assert.equal((await db.prisma.job.findUniqueOrThrow({ where: { id: rec.jobId } })).leaseOwner, null);
  } finally {
    await worker.stop();
    await cleanup();
  }
});
