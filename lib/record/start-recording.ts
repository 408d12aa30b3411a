import type { Db } from '../db/client.ts';
import { getCorpusSummary } from '../db/corpora.ts';
import { newLease } from '../db/jobs.ts';
import { getCheckpoint, getRun, latestCheckpoint } from '../db/runs.ts';
import { BadRequestError, ConflictError, PayloadTooLargeError } from '../errors.ts';
import { recordingSize } from '../search/recording-size.ts';
import { freeBytesFor, gb, maxRecordingBytes } from '../util/limits.ts';
import { DEFAULT_CHUNK_SIZE, STATE_CODEC } from './quantities.ts';
import { quantitiesFor, stateQuantities } from '../../models/architectures.ts';
import { configStack } from '../train/config.ts';
import { allQuantities, encodeStack } from './recorded-layers.ts';
import { requireJobSlots, requireStorage } from '../auth/quota.ts';
import { DEFAULT_SALIENCY_WINDOW, MAX_SALIENCY_WINDOW } from '../saliency/saliency-limits.ts';

export interface StartRecordingInput {
  runId: number;
  /** Default: the run's latest checkpoint. */
  checkpointId?: number;
  /** Default: the run's own corpus. */
  corpusId?: number;
  /** Character range [start, end); default the whole corpus. */
  start?: number;
  end?: number;
  /**
   * Also store the saliency of every prediction in [start, end) (inside the recorded range) over
   * `window` inputs (lib/saliency/stored-saliency.ts).
   */
  saliency?: { start: number; end: number; window?: number };
  /**
   * Store the gates and other per-step quantities too (default true). false keeps only the
   * states (c and h), half an LSTM recording's size with its match index
   * (lib/search/recording-size.ts); the gate views then have nothing to show.
   */
  gates?: boolean;
  claim?: boolean;
  /** Who asks for it (shared mode; null: local mode): owns the recording and its job. */
  ownerId?: number | null;
}

/**
 * Most saliency values (positions × window) one recording stores: 6.4M float32 pairs, about
 * 51 MB, e.g. 100,000 positions over 64 inputs (each position costs a backward pass too).
 */
export const MAX_STORED_SALIENCY_VALUES = 6_400_000;

/** Creates a Recording and its Job. The range and the checkpoint are checked here, at the edge. */
export async function startRecording(db: Db, input: StartRecordingInput): Promise<{ recordingId: number; jobId: number }> {
  const run = await getRun(db, input.runId);
  if (run.config.source === 'lstmvis') throw new ConflictError(`run ${run.id} is an imported LSTMVis project: its states are already recorded, and it has no model to record others with`);
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
  if (input.saliency && run.config.classes) throw new BadRequestError('stored saliency follows the next character; for a classifier ask the saliency page (or GET /api/recordings/{id}/saliency) position by position, for a class', 'saliency');
  const saliency = input.saliency ? checkSaliencyRange(input.saliency, start, end, corpus.chars) : null;
  const layers = configStack(run.config).map((l) => {
    const all = quantitiesFor(l.arch, l.options);
    return { kind: l.arch, units: l.units, quantities: input.gates === false ? stateQuantities(all) : [...all], direction: l.direction ?? 'forward' };
  });
  if (input.saliency && layers.some((l) => l.direction === 'backward')) throw new BadRequestError('a bidirectional model predicts nothing: there is no saliency to store', 'saliency');
  const quantities = allQuantities(layers);
  const size = recordingSize(end - start, layers, { ...(run.config.classes ? { classes: run.config.classes.length } : {}) }).total;
  if (size > maxRecordingBytes()) {
    throw new PayloadTooLargeError(`this recording would store ${gb(size)}, over the ${gb(maxRecordingBytes())} one recording may take (CELLSCOPE_MAX_RECORDING_GB): record a shorter range, or states only (gates: false)`, 'end');
  }
  await requireJobSlots(db, { ownerId: input.ownerId ?? null });
  await requireStorage(db, { ownerId: input.ownerId ?? null, bytes: size, what: 'this recording' });
  const free = freeBytesFor(db.target);
  if (free !== null && size > free) throw new PayloadTooLargeError(`this recording would store ${gb(size)}, and the database's disk has ${gb(free)} free: record a shorter range, or free some space`, 'end');
  return db.prisma.$transaction(async (tx) => {
    const rec = await tx.recording.create({
      data: {
        runId: run.id, checkpointId: checkpoint.id, corpusId: corpus.id, start, end,
        quantities: JSON.stringify(quantities), layers: layers.length, hidden: Math.max(...layers.map((l) => l.units)), stack: encodeStack(layers),
        chunkSize: DEFAULT_CHUNK_SIZE, codec: STATE_CODEC, status: input.claim ? 'running' : 'queued', ownerId: input.ownerId ?? null,
        ...(saliency ? { saliencyStart: saliency.start, saliencyEnd: saliency.end, saliencyWindow: saliency.window } : {}),
      },
    });
    const job = await tx.job.create({
      data: {
        kind: 'record', status: input.claim ? 'running' : 'queued', payload: JSON.stringify({ recordingId: rec.id }),
        runId: run.id, recordingId: rec.id, ownerId: input.ownerId ?? null, ...(input.claim ? { startedAt: new Date(), attempts: 1, ...newLease() } : {}),
      },
    });
    return { recordingId: rec.id, jobId: job.id };
  });
}

export function checkSaliencyRange(q: { start: number; end: number; window?: number }, start: number, end: number, chars: number): { start: number; end: number; window: number } {
  const window = q.window ?? DEFAULT_SALIENCY_WINDOW;
  if (!Number.isInteger(window) || window < 1 || window > MAX_SALIENCY_WINDOW) throw new BadRequestError(`saliency window must be an integer from 1 to ${MAX_SALIENCY_WINDOW}, got ${window}`, 'saliency.window');
  // Each stored position is scored on the character after it, so the corpus's last has none.
  const last = Math.min(end, chars - 1);
  if (!(Number.isInteger(q.start) && q.start >= start && q.start < last)) throw new BadRequestError(`saliency start must be an integer in [${start}, ${last}) (inside the recorded range, with a next character), got ${q.start}`, 'saliency.start');
  if (!(Number.isInteger(q.end) && q.end > q.start && q.end <= last)) throw new BadRequestError(`saliency end must be an integer in (${q.start}, ${last}], got ${q.end}`, 'saliency.end');
  const most = Math.floor(MAX_STORED_SALIENCY_VALUES / window);
  if (q.end - q.start > most) throw new BadRequestError(`saliency over ${window} inputs can be stored for at most ${most.toLocaleString('en-US')} positions per recording, asked for ${(q.end - q.start).toLocaleString('en-US')}`, 'saliency.end');
  return { start: q.start, end: q.end, window };
}
