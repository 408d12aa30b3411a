import type { Db } from '../db/client.ts';
import { claimNextJob, finishJob, requeueOrphanedJobs, type JobView } from '../db/jobs.ts';
import { jobContext } from './job-context.ts';
import { executeRecordJob } from './record-job.ts';
import { executeTrainJob } from './train-job.ts';
import { executeAnalysisJob } from './analysis-job.ts';
import { retrying } from '../util/retry.ts';

function payloadId(job: JobView & { payload?: string }, key: 'runId' | 'recordingId'): number {
  const id = key === 'runId' ? job.runId : job.recordingId;
  if (id === null) throw new Error(`job ${job.id} (${job.kind}) has no ${key}`);
  return id;
}

async function analysisIdOf(db: Db, job: JobView): Promise<number> {
  const row = await db.prisma.job.findUnique({ where: { id: job.id }, select: { payload: true } });
  const id = row ? (JSON.parse(row.payload) as { analysisId?: unknown }).analysisId : undefined;
  if (typeof id !== 'number') throw new Error(`job ${job.id} (analysis) names no analysis`);
  return id;
}

/** Runs one claimed job to its end, recording failure on the job (never throws). */
export async function runJob(db: Db, job: JobView, log: (line: string) => void = () => {}): Promise<void> {
  const ctx = jobContext(db, job.id, (line) => log(`[job ${job.id} ${job.kind}] ${line}`));
  try {
    if (job.kind === 'train') await executeTrainJob(db, ctx, payloadId(job, 'runId'));
    else if (job.kind === 'record') await executeRecordJob(db, ctx, payloadId(job, 'recordingId'));
    else if (job.kind === 'analysis') await executeAnalysisJob(db, ctx, await analysisIdOf(db, job));
    else throw new Error(`unknown job kind ${String(job.kind)}`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`[job ${job.id} ${job.kind}] failed: ${message}`);
    // Retried: the failure may be a full disk or a lock that the same write meets again at once.
    await retrying(() => finishJob(db, job.id, 'failed', { error: message, message: 'failed' })).catch(() => {});
  } finally {
    ctx.release();
  }
}

export interface Worker {
  stop(): Promise<void>;
}

/**
 * The background worker: one job at a time (training and recording each use the machine's
 * cores fully). Jobs whose holder died (an expired lease, or a dead process on this host) are
 * put back in the queue and resume (training from its last checkpoint); jobs another live
 * process holds are left to it. A database error (a transient lock) is logged and retried with
 * a growing pause, never left to kill the process.
 */
export function startWorker(db: Db, opts: { pollMs?: number; log?: (line: string) => void } = {}): Worker {
  const pollMs = opts.pollMs ?? 500;
  const log = opts.log ?? ((line: string) => console.log(line));
  let stopping = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((r) => {
      wake = r;
      setTimeout(r, ms);
    });
  const loop = (async () => {
    let failures = 0;
    while (!stopping) {
      try {
        const recovered = await requeueOrphanedJobs(db);
        if (recovered > 0) log(`[worker] resuming ${recovered} interrupted job(s)`);
        const job = await claimNextJob(db);
        failures = 0;
        if (job) {
          log(`[worker] job ${job.id}: ${job.kind}`);
          await runJob(db, job, log);
          continue;
        }
      } catch (err) {
        failures++;
        log(`[worker] database error (retrying): ${err instanceof Error ? err.message : String(err)}`);
        await pause(Math.min(10_000, pollMs * 2 ** Math.min(failures, 5)));
        continue;
      }
      await pause(pollMs);
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
