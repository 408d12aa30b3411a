import type { Db } from '../db/client.ts';
import { isCancelRequested } from '../db/jobs.ts';

export interface JobContext {
  jobId: number;
  /** True once a cancel was requested; cheap to call every step (polls at most twice a second). */
  shouldStop(): Promise<boolean>;
  log?: (line: string) => void;
}

export function jobContext(db: Db, jobId: number, log?: (line: string) => void): JobContext {
  let last = 0;
  let stop = false;
  return {
    jobId,
    async shouldStop() {
      const now = Date.now();
      if (!stop && now - last > 500) {
        last = now;
        stop = await isCancelRequested(db, jobId);
      }
      return stop;
    },
    ...(log ? { log } : {}),
  };
}
