import type { Db } from '../db/client.ts';
import { getAnalysis, storeAnalysisResult } from '../db/analyses.ts';
import { finishJob, updateJobProgress } from '../db/jobs.ts';
import { causalRank, type CausalRankInput } from '../causal/causal-rank.ts';
import type { JobContext } from './job-context.ts';

/**
 * The worker's side of an analysis (lib/db/analyses.ts): runs it with progress on the job, stores
 * its result, and stops at the next block when cancelled. After a restart it runs again from the
 * start (an analysis keeps nothing half-done).
 */
export async function executeAnalysisJob(db: Db, ctx: JobContext, analysisId: number): Promise<void> {
  const analysis = await getAnalysis(db, analysisId);
  let last = 0;
  const onProgress = async (f: number): Promise<void> => {
    const now = Date.now();
    if (now - last < 1000 && f < 1) return;
    last = now;
    await updateJobProgress(db, ctx.jobId, f, `${analysis.kind}: ${Math.round(100 * f)}%`);
  };
  let stopped = false;
  const shouldStop = async (): Promise<boolean> => (stopped = stopped || (await ctx.shouldStop()));
  try {
    const result = await causalRank(db, analysis.recordingId, analysis.params as unknown as CausalRankInput, { onProgress, shouldStop });
    await storeAnalysisResult(db, analysisId, result);
    await finishJob(db, ctx.jobId, 'completed', { message: `${analysis.kind}: ${result.cells.length} cells ranked in ${(result.tookMs / 1000).toFixed(1)} s` });
  } catch (err) {
    if (!stopped) throw err;
    await finishJob(db, ctx.jobId, 'cancelled', { message: `${analysis.kind}: cancelled` });
  }
}
