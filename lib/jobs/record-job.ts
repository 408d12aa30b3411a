import type { Db } from '../db/client.ts';
import { corpusIdsForRun } from '../db/run-vocab.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import type { CorpusSequences } from '../corpus/sequences.ts';
import { finishJob, updateJobProgress } from '../db/jobs.ts';
import { getCheckpoint, getRun } from '../db/runs.ts';
import { getRecording } from '../db/recordings.ts';
import { deleteChunks } from '../record/chunk-store.ts';
import { startChunkWriter } from '../record/chunk-writer.ts';
import { clearRecordingTracks, forgetTracks } from '../search/track-store.ts';
import { retrying } from '../util/retry.ts';
import { indexRecording } from './index-recording.ts';
import { clearStoredSaliency, storeRecordingSaliency } from '../saliency/stored-saliency.ts';
import { recordStates, type RecordResult } from '../record/recorder.ts';
import { loadModel } from '../train/model-io.ts';
import { modelShapeOf } from '../train/config.ts';
import { disposeModel } from '../../models/char-model.ts';
import { ensureBackend } from '../tf/backend.ts';
import type { JobContext } from './job-context.ts';

/** Everything a recording job stored: states, index, statistics and saliency. */
async function discardRecordingData(db: Db, recordingId: number): Promise<void> {
  await deleteChunks(db.raw, recordingId);
  await clearRecordingTracks(db, recordingId);
  await db.prisma.neuronStat.deleteMany({ where: { recordingId } });
  await clearStoredSaliency(db, recordingId);
  forgetTracks(recordingId);
}

/** Burn-in per stream: enough history that segment starts look like the rest of the text. */
export const RECORD_BURN_IN = 128;

/**
 * Runs a recording job. A recording interrupted by a restart is redone from the start (chunks
 * written so far are dropped first): recording runs several times faster than training.
 */
export async function executeRecordJob(db: Db, ctx: JobContext, recordingId: number): Promise<RecordResult> {
  await ensureBackend();
  const rec = await getRecording(db, recordingId);
  const run = await getRun(db, rec.runId);
  const checkpoint = await getCheckpoint(db, rec.checkpointId);
  // The model's own vocabulary (an imported model's, or its corpus's) reads the recorded corpus.
  const { ids, vocab } = await corpusIdsForRun(db, run, rec.corpusId);
  // A corpus of sequences: each is read from a fresh state.
  const { sequences } = await loadCorpusTokens(db, rec.corpusId);
  await deleteChunks(db.raw, recordingId);
  forgetTracks(recordingId);
  await db.prisma.recording.update({ where: { id: recordingId }, data: { status: 'running' } });
  const model = loadModel(modelShapeOf(run.config, vocab.chars.length), checkpoint.weights);
  let lastWrite = 0;
  const started = Date.now();
  // Chunks are stored on a thread of their own while the next block is computed.
  const writer = startChunkWriter(db.target, recordingId);
  try {
    const result = await recordStates({
      model,
      ids,
      start: rec.start,
      end: rec.end,
      chunkSize: rec.chunkSize,
      burnIn: RECORD_BURN_IN,
      quantities: rec.quantities,
      ...(sequences ? { sequenceStarts: sequences.starts } : {}),
      // A classifier: its classes' probabilities after every step, and p(the sequence's label).
      ...(run.config.classes ? { classProbabilities: true, targets: labelTargets(ids.length, sequences, run.config.classes) } : {}),
      onChunks: (rows) => writer.write(rows),
      shouldStop: () => ctx.shouldStop(),
      onProgress: async (done, total) => {
        const now = Date.now();
        if (now - lastWrite < 250 && done < total) return;
        lastWrite = now;
        const rate = done / Math.max(0.001, (now - started) / 1000);
        const msg = `recorded ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} characters · ${Math.round(rate)} chars/s`;
        await updateJobProgress(db, ctx.jobId, done / total, msg);
        ctx.log?.(msg);
      },
    });
    await writer.flush();
    let stopped = result.stopped;
    if (!stopped) {
      // The select & match index and the neuron statistics are part of a finished recording.
      await indexRecording(db, rec, { ids, vocab, unit: rec.unit }, async (fraction) => {
        const msg = `indexing: select & match, neuron statistics · ${Math.round(100 * fraction)}%`;
        await updateJobProgress(db, ctx.jobId, 1, msg);
        ctx.log?.(msg);
      });
      // Saliency over a range, when the recording was asked to keep it.
      if (rec.saliency) {
        stopped = !(await storeRecordingSaliency(db, rec, model, ids, {
          shouldStop: () => ctx.shouldStop(),
          onProgress: async (done, total) => {
            const msg = `saliency ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} positions`;
            await updateJobProgress(db, ctx.jobId, 1, msg);
            ctx.log?.(msg);
          },
        }));
      }
    }
    const status = stopped ? 'cancelled' : 'completed';
    // A cancelled recording keeps no partial states: they would only take space.
    if (stopped) await discardRecordingData(db, recordingId);
    await db.prisma.recording.update({ where: { id: recordingId }, data: { status } });
    await finishJob(db, ctx.jobId, status, {
      message: stopped ? 'cancelled' : `recorded ${result.timesteps.toLocaleString('en-US')} characters · ${Math.round(result.charsPerSec)} chars/s`,
    });
    return result;
  } catch (err) {
    // The partial states go first: on a full disk they are what frees the room that marking the
    // recording failed needs. Then the status, retried; a recording is never left 'running'.
    await writer.close().catch(() => {});
    await discardRecordingData(db, recordingId).catch(() => {});
    await retrying(() => db.prisma.recording.update({ where: { id: recordingId }, data: { status: 'failed' } })).catch(() => {});
    throw err;
  } finally {
    await writer.close();
    disposeModel(model);
  }
}

/** Per position, the class index of its sequence's label (-1: no sequence, no label, or one not among the classes). */
export function labelTargets(length: number, sequences: CorpusSequences | null, classes: readonly string[]): Int32Array {
  const targets = new Int32Array(length).fill(-1);
  if (!sequences?.labels) return targets;
  sequences.starts.forEach((start, k) => {
    const label = classes.indexOf(sequences.labels?.[k] ?? '');
    if (label >= 0) targets.fill(label, start, sequences.starts[k + 1] ?? length);
  });
  return targets;
}
