import type { Db } from '../db/client.ts';
import { listRecordings, type RecordingSummary } from '../db/recordings.ts';
import { getRun } from '../db/runs.ts';
import { BadRequestError, ConflictError } from '../errors.ts';

/**
 * The completed recording a run-level command works on: the one asked for (which must belong to
 * the run and be completed) or else the run's newest completed one.
 */
export async function completedRecordingOfRun(db: Db, runId: number, wanted: number | undefined): Promise<RecordingSummary> {
  await getRun(db, runId);
  const recordings = (await listRecordings(db, { runId })).filter((r) => r.status === 'completed');
  const rec = wanted !== undefined ? recordings.find((r) => r.id === wanted) : recordings.sort((a, b) => b.id - a.id)[0];
  if (rec) return rec;
  if (wanted !== undefined) throw new BadRequestError(`recording ${wanted} is not a completed recording of run ${runId}`, 'recording');
  throw new ConflictError(`run ${runId} has no completed recording: record it first (cellscope record --run ${runId})`);
}
