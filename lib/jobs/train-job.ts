import type { Db } from '../db/client.ts';
import { ConflictError } from '../errors.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { finishJob, updateJobProgress } from '../db/jobs.ts';
import { getRun, latestCheckpoint } from '../db/runs.ts';
import { appendMetrics, listMetrics, truncateMetrics } from '../db/run-metrics.ts';
import { trainCharModel, type MetricPoint, type TrainResult } from '../train/trainer.ts';
import { ensureBackend } from '../tf/backend.ts';
import type { JobContext } from './job-context.ts';

/**
 * Trains the job's run, resuming from its latest checkpoint when there is one (a restart after a
 * crash, or a second attempt). Progress, metrics and checkpoints go to the database as they come.
 */
export async function executeTrainJob(db: Db, ctx: JobContext, runId: number): Promise<TrainResult> {
  await ensureBackend();
  const run = await getRun(db, runId);
  // An imported model has no training data of its own here (and its own vocabulary).
  if (run.vocab || run.config.source !== 'trained') throw new ConflictError(`run ${runId} is an imported ${run.config.source === 'lstmvis' ? 'LSTMVis project' : 'model'}: it is explored, not trained here`);
  const tokens = await loadCorpusTokens(db, run.corpusId);
  const resumeFrom = await latestCheckpoint(db, runId);
  const config = run.config;
  // Metric history up to the checkpoint survives; points after it are re-measured.
  await truncateMetrics(db, runId, resumeFrom?.step ?? -1);
  const metrics: MetricPoint[] = resumeFrom ? await listMetrics(db, runId) : [];
  // Points not yet stored: appended a few times a second, never the whole history again.
  let pending: MetricPoint[] = [];
  const flushMetrics = async (): Promise<void> => {
    if (pending.length === 0) return;
    const points = pending;
    pending = [];
    await appendMetrics(db, runId, points);
  };
  await db.prisma.run.update({ where: { id: runId }, data: { status: 'running', step: resumeFrom?.step ?? 0 } });
  if (resumeFrom && resumeFrom.step >= config.steps) {
    await db.prisma.run.update({ where: { id: runId }, data: { status: 'completed' } });
    await finishJob(db, ctx.jobId, 'completed', { message: 'already trained' });
    return { steps: resumeFrom.step, stopped: false, trainLoss: resumeFrom.trainLoss, valBpc: resumeFrom.valBpc ?? NaN, charsPerSec: 0, metrics };
  }
  let lastProgressWrite = 0;
  try {
    const result = await trainCharModel({
      config,
      vocabSize: tokens.vocab.chars.length,
      trainIds: tokens.ids.subarray(0, tokens.trainEnd),
      valIds: tokens.ids.subarray(tokens.trainEnd),
      ...(resumeFrom
        ? { resume: { step: resumeFrom.step, weights: resumeFrom.weights, optimizer: resumeFrom.optimizer, position: resumeFrom.position } }
        : {}),
      shouldStop: () => ctx.shouldStop(),
      onProgress: async (p) => {
        metrics.push(p.point);
        pending.push(p.point);
        const now = Date.now();
        // Keep the database writes to a few a second however fast the steps are.
        if (now - lastProgressWrite < 250 && p.step !== p.totalSteps && p.point.valBpc === undefined) return;
        lastProgressWrite = now;
        const msg = `step ${p.step}/${p.totalSteps} · loss ${p.point.trainBpc.toFixed(3)} bpc · ${Math.round(p.point.charsPerSec)} chars/s (${p.engine} engine) · ETA ${Math.round(p.etaSeconds)} s`;
        await flushMetrics();
        await db.prisma.run.update({ where: { id: runId }, data: { step: p.step } });
        await updateJobProgress(db, ctx.jobId, p.step / p.totalSteps, msg);
        ctx.log?.(msg);
      },
      onCheckpoint: async (c) => {
        await flushMetrics();
        await db.prisma.$transaction(async (tx) => {
          await tx.checkpoint.create({
            data: { runId, step: c.step, trainLoss: c.trainLoss, valBpc: c.valBpc ?? null, weights: c.weights, optimizer: c.optimizer, position: c.position },
          });
          // Only the newest checkpoint needs optimizer state (for resuming); older ones keep
          // their weights for sampling and recording.
          await tx.checkpoint.updateMany({ where: { runId, step: { lt: c.step }, optimizer: { not: null } }, data: { optimizer: null } });
          await tx.run.update({ where: { id: runId }, data: { step: c.step } });
        });
      },
    });
    await flushMetrics();
    await db.prisma.run.update({
      where: { id: runId },
      data: { status: result.stopped ? 'cancelled' : 'completed', step: result.steps },
    });
    await finishJob(db, ctx.jobId, result.stopped ? 'cancelled' : 'completed', {
      message: result.stopped ? `cancelled at step ${result.steps}` : `trained ${result.steps} steps · val ${result.valBpc.toFixed(3)} bpc`,
    });
    return result;
  } catch (err) {
    await flushMetrics().catch(() => {});
    await db.prisma.run.update({ where: { id: runId }, data: { status: 'failed' } });
    throw err;
  }
}
