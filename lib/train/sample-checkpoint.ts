import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { runVocab } from '../db/run-vocab.ts';
import { getCorpusSummary } from '../db/corpora.ts';
import { getCheckpoint, getRun, latestCheckpoint } from '../db/runs.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { ensureBackend } from '../tf/backend.ts';
import { disposeModel } from '../../models/char-model.ts';
import { loadModel } from './model-io.ts';
import { configStack, modelShapeOf } from './config.ts';
import { sampleText } from './sample.ts';
import { sampleHeld } from '../causal/held-sampling.ts';

export const sampleRunBodySchema = z
  .object({
    checkpointId: z.number().int().positive().optional(),
    length: z.number().int().min(1).max(5000).default(300),
    temperature: z.number().min(0.05).max(5).default(0.8),
    prime: z.string().max(1000).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    /** Cells held at a value while the model reads the prime and writes (lib/causal/held-sampling.ts). */
    hold: z.object({ layer: z.number().int().min(0), quantity: z.string().min(1), cells: z.union([z.array(z.number().int().min(0)).min(1), z.string().min(1)]), set: z.string().min(1) }).strict().optional(),
  })
  .strict();
export type SampleRunBody = z.infer<typeof sampleRunBodySchema>;

/** Samples text from a run's checkpoint (default: the latest). */
export async function sampleFromRun(db: Db, runId: number, body: SampleRunBody): Promise<{ checkpointId: number; step: number; text: string }> {
  await ensureBackend();
  const run = await getRun(db, runId);
  if (run.config.source === 'lstmvis') throw new ConflictError(`run ${runId} is an imported LSTMVis project: it has no model to sample from`);
  if (run.config.classes) throw new ConflictError(`run ${runId} is a classifier: it scores classes, it does not write text`);
  if (configStack(run.config).some((l) => l.direction === 'backward')) throw new ConflictError(`run ${runId} is a bidirectional model: it predicts no next character, so it cannot write text`);
  if ((await getCorpusSummary(db, run.corpusId)).unit === 'word') throw new ConflictError(`run ${runId} reads a word-level corpus: sampling writes characters`);
  const ck = body.checkpointId !== undefined ? await getCheckpoint(db, body.checkpointId) : await latestCheckpoint(db, runId);
  if (!ck) throw new ConflictError(`run ${runId} has no checkpoint yet`);
  if (ck.runId !== runId) throw new BadRequestError(`checkpoint ${ck.id} belongs to run ${ck.runId}`, 'checkpointId');
  const vocab = await runVocab(db, run);
  const model = loadModel(modelShapeOf(run.config, vocab.chars.length), ck.weights);
  try {
    const opts = {
      length: body.length,
      temperature: body.temperature,
      ...(body.prime !== undefined ? { prime: body.prime } : {}),
      ...(body.seed !== undefined ? { seed: body.seed } : {}),
    };
    const text = body.hold ? sampleHeld(model, vocab, opts, body.hold) : sampleText(model, vocab, opts);
    return { checkpointId: ck.id, step: ck.step, text };
  } catch (err) {
    if (err instanceof Error && /prime character/.test(err.message)) throw new BadRequestError(err.message, 'prime');
    throw err;
  } finally {
    disposeModel(model);
  }
}
