import type { Db } from '../db/client.ts';
import { getCorpusSummary } from '../db/corpora.ts';
import { newLease } from '../db/jobs.ts';
import { BadRequestError } from '../errors.ts';
import type { TrainConfig } from './config.ts';
import { trainingMemoryBytes } from './memory-estimate.ts';
import { maxTrainingBytes } from '../util/limits.ts';
import { requireJobSlots, requireStorage } from '../auth/quota.ts';
import { ARCHITECTURE_SHORT } from '../../models/architectures.ts';

export interface StartRunInput {
  corpusId: number;
  config: TrainConfig;
  name?: string;
  /** 'running' when the caller (the CLI) executes the job itself instead of the server's worker. */
  claim?: boolean;
  /** Who starts it (shared mode; null: local mode): owns the run and its job. */
  ownerId?: number | null;
}

/** Creates a Run and its training Job together; the worker (or the caller) then trains it. */
export async function startTrainingRun(db: Db, input: StartRunInput): Promise<{ runId: number; jobId: number }> {
  const corpus = await getCorpusSummary(db, input.corpusId);
  const memory = trainingMemoryBytes(input.config, corpus.vocabSize);
  if (memory > maxTrainingBytes()) {
    throw new BadRequestError(
      `this configuration needs about ${(memory / 1024 ** 2).toFixed(0)} MB for a training step (batch ${input.config.batch} × seq ${input.config.seq} × ${input.config.layers} × ${input.config.hidden} ${input.config.arch} over ${corpus.vocabSize} symbols), over the ${(maxTrainingBytes() / 1024 ** 2).toFixed(0)} MB a run may take: lower batch, seq or hidden`,
      'config',
    );
  }
  const need = input.config.batch * input.config.seq + 1;
  if (corpus.trainEnd < need) {
    throw new BadRequestError(
      `corpus ${corpus.id} has ${corpus.trainEnd} training characters; batch ${input.config.batch} x seq ${input.config.seq} needs at least ${need}`,
      'batch',
    );
  }
  const ownerId = input.ownerId ?? null;
  await requireJobSlots(db, { ownerId });
  await requireStorage(db, { ownerId, bytes: 0, what: 'a new run' });
  const name = input.name ?? `${ARCHITECTURE_SHORT[input.config.arch]} ${input.config.layers}x${input.config.hidden} on ${corpus.name}`;
  return db.prisma.$transaction(async (tx) => {
    const run = await tx.run.create({
      data: { name, corpusId: corpus.id, arch: input.config.arch, config: JSON.stringify(input.config), status: input.claim ? 'running' : 'queued', ownerId: input.ownerId ?? null },
    });
    const job = await tx.job.create({
      data: {
        kind: 'train',
        status: input.claim ? 'running' : 'queued',
        payload: JSON.stringify({ runId: run.id }),
        runId: run.id,
        ownerId: input.ownerId ?? null,
        ...(input.claim ? { startedAt: new Date(), attempts: 1, ...newLease() } : {}),
      },
    });
    return { runId: run.id, jobId: job.id };
  });
}
