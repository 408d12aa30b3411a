import type { Db } from '../db/client.ts';
import { getCorpusSummary } from '../db/corpora.ts';
import { getCheckpoint, getRun, latestCheckpoint } from '../db/runs.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { DEFAULT_CHUNK_SIZE, STATE_CODEC } from './quantities.ts';
import { quantitiesFor } from '../../models/architectures.ts';
import { cellOptionsOf } from '../train/config.ts';

export interface StartRecordingInput {
  runId: number;
  /** Default: the run's latest checkpoint. */
  checkpointId?: number;
  /** Default: the run's own corpus. */
  corpusId?: number;
  /** Character range [start, end); default the whole corpus. */
  start?: number;
  end?: number;
  claim?: boolean;
}

/** Creates a Recording and its Job. The range and the checkpoint are checked here, at the edge. */
export async function startRecording(db: Db, input: StartRecordingInput): Promise<{ recordingId: number; jobId: number }> {
  const run = await getRun(db, input.runId);
  const checkpoint = input.checkpointId !== undefined ? await getCheckpoint(db, input.checkpointId) : await latestCheckpoint(db, run.id);
  if (!checkpoint) throw new ConflictError(`run ${run.id} has no checkpoint yet: train it first`);
  if (checkpoint.runId !== run.id) throw new BadRequestError(`checkpoint ${checkpoint.id} belongs to run ${checkpoint.runId}, not ${run.id}`, 'checkpointId');
  const corpus = await getCorpusSummary(db, input.corpusId ?? run.corpusId);
  const start = input.start ?? 0;
  const end = input.end ?? corpus.chars;
  if (!(Number.isInteger(start) && start >= 0 && start < corpus.chars)) {
    throw new BadRequestError(`start must be an integer in [0, ${corpus.chars}), got ${start}`, 'start');
  }
  if (!(Number.isInteger(end) && end > start && end <= corpus.chars)) {
    throw new BadRequestError(`end must be an integer in (${start}, ${corpus.chars}], got ${end}`, 'end');
  }
  return db.prisma.$transaction(async (tx) => {
    const rec = await tx.recording.create({
      data: {
        runId: run.id, checkpointId: checkpoint.id, corpusId: corpus.id, start, end,
        quantities: JSON.stringify(quantitiesFor(run.config.arch, cellOptionsOf(run.config))), layers: run.config.layers, hidden: run.config.hidden,
        chunkSize: DEFAULT_CHUNK_SIZE, codec: STATE_CODEC, status: input.claim ? 'running' : 'queued',
      },
    });
    const job = await tx.job.create({
      data: {
        kind: 'record', status: input.claim ? 'running' : 'queued', payload: JSON.stringify({ recordingId: rec.id }),
        runId: run.id, recordingId: rec.id, ...(input.claim ? { startedAt: new Date(), attempts: 1 } : {}),
      },
    });
    return { recordingId: rec.id, jobId: job.id };
  });
}
