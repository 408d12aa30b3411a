import type { Db } from '../db/client.ts';
import { corpusIdsForRun } from '../db/run-vocab.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { getRecording } from '../db/recordings.ts';
import { getCheckpoint, getRun, latestCheckpoint } from '../db/runs.ts';
import type { Vocab } from '../corpus/vocab.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { ensureBackend } from '../tf/backend.ts';
import { loadModel } from '../train/model-io.ts';
import { configStack, modelShapeOf } from '../train/config.ts';
import { disposeModel, type CharModel } from '../../models/char-model.ts';

/**
 * What a saliency computation reads: a loaded checkpoint, the text as token ids of the run's
 * vocabulary, and the range of positions that may be asked about.
 */
export interface SaliencySource {
  key: string;
  model: CharModel;
  vocab: Vocab;
  ids: Int32Array;
  checkpointId: number;
  step: number;
  /** Positions a question may name: [start, end). */
  start: number;
  end: number;
  /** A classifier's class names (its targets are classes, not next tokens); null: a language model. */
  classes: string[] | null;
  /** A corpus of sequences: where each starts (a window never reaches into the one before). */
  sequenceStarts: Int32Array | null;
}

// Loading a checkpoint costs far more than one saliency question, and a researcher asks many
// about the same model in a row: the last few stay loaded.
const MAX_CACHED = 2;
const cache = new Map<string, SaliencySource>();

async function cached(key: string, load: () => Promise<Omit<SaliencySource, 'key'>>): Promise<SaliencySource> {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const src = { key, ...(await load()) };
  cache.set(key, src);
  while (cache.size > MAX_CACHED) {
    const [oldKey, old] = cache.entries().next().value as [string, SaliencySource];
    cache.delete(oldKey);
    disposeModel(old.model);
  }
  return src;
}

/** A run's checkpoint (default: its latest) over the run's own corpus. */
export async function saliencySourceOfRun(db: Db, runId: number, checkpointId?: number): Promise<SaliencySource> {
  await ensureBackend();
  const run = await getRun(db, runId);
  if (run.config.source === 'lstmvis') throw new ConflictError(`run ${runId} is an imported LSTMVis project: it has states but no model to take gradients of`);
  if (configStack(run.config).some((l) => l.direction === 'backward')) throw new ConflictError(`run ${runId} is a bidirectional model: it predicts nothing, so there is no prediction to take gradients of`);
  const ck = checkpointId !== undefined ? await getCheckpoint(db, checkpointId) : await latestCheckpoint(db, runId);
  if (!ck) throw new ConflictError(`run ${runId} has no checkpoint yet`);
  if (ck.runId !== runId) throw new BadRequestError(`checkpoint ${ck.id} belongs to run ${ck.runId}`, 'checkpoint');
  return cached(`run:${runId}:ck:${ck.id}`, async () => {
    const { ids, vocab } = await corpusIdsForRun(db, run, run.corpusId);
    const model = loadModel(modelShapeOf(run.config, vocab.chars.length), ck.weights);
    const sequenceStarts = (await loadCorpusTokens(db, run.corpusId)).sequences?.starts ?? null;
    return { model, vocab, ids, checkpointId: ck.id, step: ck.step, start: 0, end: ids.length, classes: run.config.classes ?? null, sequenceStarts };
  });
}

/** A recording's checkpoint over the recording's corpus; questions stay inside the recorded range. */
export async function saliencySourceOfRecording(db: Db, recordingId: number): Promise<SaliencySource> {
  await ensureBackend();
  const rec = await getRecording(db, recordingId);
  if (rec.origin === 'lstmvis') throw new ConflictError(`recording ${rec.id} was imported from an LSTMVis project: it has states but no model to take gradients of`);
  const run = await getRun(db, rec.runId);
  if (!rec.predictions) throw new ConflictError(`recording ${rec.id} is of a bidirectional model: it predicts nothing, so there is no prediction to take gradients of`);
  const ck = await getCheckpoint(db, rec.checkpointId);
  return cached(`recording:${rec.id}:ck:${ck.id}`, async () => {
    const { ids, vocab } = await corpusIdsForRun(db, run, rec.corpusId);
    const model = loadModel(modelShapeOf(run.config, vocab.chars.length), ck.weights);
    const sequenceStarts = (await loadCorpusTokens(db, rec.corpusId)).sequences?.starts ?? null;
    return { model, vocab, ids, checkpointId: ck.id, step: ck.step, start: rec.start, end: rec.end, classes: run.config.classes ?? null, sequenceStarts };
  });
}

/** Drops every loaded model (tests; a server keeps them). */
export function forgetSaliencySources(): void {
  for (const s of cache.values()) disposeModel(s.model);
  cache.clear();
}
