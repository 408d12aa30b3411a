import type { Db } from '../db/client.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { getCheckpoint, getRun, latestCheckpoint } from '../db/runs.ts';
import { decode } from '../corpus/vocab.ts';
import { addingTaskTargets } from '../corpus/tasks/adding-task.ts';
import { copyTaskTargets } from '../corpus/tasks/copy-task.ts';
import { ConflictError } from '../errors.ts';
import { ensureBackend } from '../tf/backend.ts';
import { disposeModel } from '../../models/char-model.ts';
import { modelShapeOf } from './config.ts';
import { loadModel } from './model-io.ts';
import { targetAccuracy } from './task-accuracy.ts';

/**
 * A run's accuracy on its memory task: the validation split from its first whole line, scored on
 * the characters only memory can predict (copy: the recalled letters; adding: the sum's digits).
 */
export async function runTaskAccuracy(db: Db, runId: number, task: 'copy' | 'adding', checkpointId?: number): Promise<{ accuracy: number; targets: number; step: number }> {
  await ensureBackend();
  const run = await getRun(db, runId);
  const ck = checkpointId !== undefined ? await getCheckpoint(db, checkpointId) : await latestCheckpoint(db, runId);
  if (!ck) throw new ConflictError(`run ${runId} has no checkpoint yet`);
  const tokens = await loadCorpusTokens(db, run.corpusId);
  const tail = decode(tokens.ids.subarray(tokens.trainEnd), tokens.vocab);
  const firstLine = tail.indexOf('\n') + 1;
  const text = tail.slice(firstLine);
  const ids = tokens.ids.subarray(tokens.trainEnd + firstLine);
  const targets = task === 'copy' ? copyTaskTargets(text) : addingTaskTargets(text);
  const model = loadModel(modelShapeOf(run.config, tokens.vocab.chars.length), ck.weights);
  try {
    return { accuracy: targetAccuracy(model, ids, targets), targets: targets.length, step: ck.step };
  } finally {
    disposeModel(model);
  }
}
