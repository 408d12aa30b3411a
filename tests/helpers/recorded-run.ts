import type { Db } from '../../lib/db/client.ts';
import { createCorpus } from '../../lib/db/corpora.ts';
import { jobContext } from '../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../lib/jobs/record-job.ts';
import { executeTrainJob } from '../../lib/jobs/train-job.ts';
import { startRecording, type StartRecordingInput } from '../../lib/record/start-recording.ts';
import { parseTrainConfig } from '../../lib/train/config.ts';
import { startTrainingRun } from '../../lib/train/start-run.ts';

/** Trains a small model on `text` through the real job, as the worker runs it. */
export async function trainedRun(db: Db, text: string, config: Record<string, unknown>, name = 'fixture'): Promise<{ corpusId: number; runId: number }> {
  const corpus = await createCorpus(db, { name, text });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config: parseTrainConfig(config), claim: true });
  await executeTrainJob(db, jobContext(db, jobId), runId);
  return { corpusId: corpus.id, runId };
}

/** Records a run through the real job (the recording's index and statistics included). */
export async function recordedRange(db: Db, input: Omit<StartRecordingInput, 'claim'>): Promise<number> {
  const rec = await startRecording(db, input);
  await db.prisma.job.update({ where: { id: rec.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, rec.jobId), rec.recordingId);
  return rec.recordingId;
}
