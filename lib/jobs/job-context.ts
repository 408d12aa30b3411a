import type { Db } from '../db/client.ts';
import { HEARTBEAT_MS, isCancelRequested, processOwner, renewLease } from '../db/jobs.ts';

export interface JobContext {
  jobId: number;
  /**
   * True once a cancel was requested or the job's lease was lost to another process; cheap to
   * call every step (polls at most twice a second).
   */
  shouldStop(): Promise<boolean>;
  /** Stops the lease heartbeat (the job is finished, or given up). */
  release(): void;
  log?: (line: string) => void;
}

/**
 * The context a job runs in: cancellation, and the heartbeat that renews this process's lease
 * on the job every HEARTBEAT_MS (lib/db/jobs.ts) until the job ends or the lease is lost.
 */
export function jobContext(db: Db, jobId: number, log?: (line: string) => void): JobContext {
  let last = 0;
  let stop = false;
  let lost = false;
  const heartbeat = setInterval(() => {
    renewLease(db, jobId, processOwner).then(
      (held) => {
        if (held) return;
        // Finished (or cancelled) jobs end their lease too: only a job still running elsewhere is lost.
        clearInterval(heartbeat);
        void db.prisma.job.findUnique({ where: { id: jobId }, select: { status: true, leaseOwner: true } }).then((j) => {
          if (j?.status === 'running' && j.leaseOwner !== null && j.leaseOwner !== processOwner) {
            lost = true;
            log?.('lease lost: another process holds this job now; stopping');
          }
        }, () => {});
      },
      // A transient database error (a lock): the next beat tries again, well within the lease.
      () => {},
    );
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    jobId,
    async shouldStop() {
      if (lost) return true;
      const now = Date.now();
      if (!stop && now - last > 500) {
        last = now;
        stop = await isCancelRequested(db, jobId);
      }
      return stop || lost;
    },
    release() {
      clearInterval(heartbeat);
    },
    ...(log ? { log } : {}),
  };
}
