import type { Db } from '../db/client.ts';
import { createAnalysis } from '../db/analyses.ts';
import { getRecording, type RecordingSummary } from '../db/recordings.ts';
import { corpusIdsForRun } from '../db/run-vocab.ts';
import { getRun } from '../db/runs.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import type { Vocab } from '../corpus/vocab.ts';
import { saliencySourceOfRecording } from '../saliency/saliency-source.ts';
import { binaryScore } from '../search/cell-ranking.ts';
import { forEachColumn } from '../search/columns.ts';
import { recordingFeatureTrack } from '../search/recording-features.ts';
import { TRACK_QUANTITIES } from '../search/track-layout.ts';
import type { CharModel } from '../../models/char-model.ts';
import type { CellEdits } from '../../models/fused/state-edit.ts';
import { checkLayerQuantity, modelLayers, parseRange, parseWhere } from './intervention-spec.ts';
import { requireModel, warmedStretches } from './intervene.ts';
import { runStreams, type StreamStretch } from './stream-run.ts';

/**
 * `cellscope causal-rank` (issue 13): every cell of a layer ranked by what the model loses when
 * that cell alone is zeroed, at the positions of a target: before each occurrence of a character
 * (its prediction), or where a feature or a regular expression holds (the prediction of the true
 * next character there). The single-cell ablations run as parallel streams of the fused kernels:
 * for each stretch of the range one stream as the model is and one per cell with that cell zeroed
 * at every step, all stepping together. Beside each cell's effect, the correlation side: the
 * AUC of its stored value for the target positions (h and c, from the exact columns).
 */
export interface CausalCell {
  layer: number;
  quantity: string;
  index: number;
  /** Mean change of ln p(target) at the target positions when the cell alone is zeroed (negative: the model needs it). */
  deltaLogp: number;
  /** The cell's value as a score for "a target position" (h and c of a completed recording). */
  auc?: number;
}

export interface CausalRanking {
  recordingId: number;
  layer: number;
  quantity: string;
  target: string;
  start: number;
  end: number;
  /** Target positions in the range, and the unablated model's mean ln p(target) there. */
  targets: number;
  baselineLogp: number;
  /** Every cell of the layer, the one the model needs most first. */
  cells: CausalCell[];
  tookMs: number;
}

export interface CausalRankInput {
  layer: number;
  quantity?: string | undefined;
  target: string;
  start?: number | undefined;
  end?: number | undefined;
}

/** Streams per batch the ranking aims at: enough rows for the kernels' products to run well. */
const TARGET_STREAMS = 1024;

/** The stretches a ranking of a layer of H cells reads [start, end) in (H + 1 streams each). */
export function rankStretches(start: number, end: number, H: number, sequenceStarts: Int32Array | null): StreamStretch[] {
  return warmedStretches(start, end, Math.max(1, Math.floor(TARGET_STREAMS / (H + 1))), sequenceStarts);
}

export async function causalRank(db: Db, recordingId: number, input: CausalRankInput, opts: { onProgress?(f: number): Promise<void> | void; shouldStop?(): Promise<boolean> | boolean } = {}): Promise<CausalRanking> {
  const started = performance.now();
  const rec = await getRecording(db, recordingId);
  requireModel(rec, 'ablate');
  const source = await saliencySourceOfRecording(db, recordingId);
  if (source.classes) throw new ConflictError(`recording ${rec.id} is of a classifier: the causal ranking is measured on next-token predictions, which it does not make`);
  const quantity = input.quantity ?? 'h';
  const { units: H } = checkLayerQuantity(modelLayers(source.model), input.layer, quantity);
  const { start, end } = parseRange(rec, input.start, input.end);
  const targets = await targetMask(db, rec, source.ids, source.vocab, input.target, start, end);
  const count = targets.reduce((a, v) => a + v, 0);
  if (count === 0) throw new BadRequestError(`the target ${JSON.stringify(input.target)} occurs nowhere in positions ${start}..${end}`, 'target');

  const { deltaLogp, baselineLogp } = await ablationSweep({ model: source.model, ids: source.ids, layer: input.layer, quantity, start, end, targets, sequenceStarts: source.sequenceStarts }, opts);
  const aucs = await storedAucs(db, rec, input.layer, quantity, H, targets, start);
  const cells: CausalCell[] = Array.from({ length: H }, (_, index) => ({
    layer: input.layer,
    quantity,
    index,
    deltaLogp: deltaLogp[index] as number,
    ...(aucs ? { auc: aucs[index] as number } : {}),
  }));
  cells.sort((a, b) => a.deltaLogp - b.deltaLogp || a.index - b.index);
  return { recordingId: rec.id, layer: input.layer, quantity, target: input.target, start, end, targets: count, baselineLogp, cells, tookMs: Math.round(performance.now() - started) };
}

export interface SweepInput {
  model: CharModel;
  ids: Int32Array;
  layer: number;
  quantity: string;
  start: number;
  end: number;
  /** Per position of [start, end): 1 at a target. */
  targets: Uint8Array;
  sequenceStarts: Int32Array | null;
}

/**
 * Every cell of a layer zeroed alone over [start, end), as parallel streams: per cell, the mean
 * change of ln p(true next) at the target positions; and the unablated model's mean there.
 */
export async function ablationSweep(input: SweepInput, opts: { onProgress?(f: number): Promise<void> | void; shouldStop?(): Promise<boolean> | boolean } = {}): Promise<{ deltaLogp: Float64Array; baselineLogp: number }> {
  const { start, end, targets } = input;
  const H = input.model.layers[input.layer]?.spec.units ?? 0;
  const count = targets.reduce((a, v) => a + v, 0);
  // Stretches of the range, each read by one stream as the model is and one per cell ablated.
  const per = H + 1;
  const stretches = rankStretches(start, end, H, input.sequenceStarts);
  const streams: StreamStretch[] = stretches.flatMap((s) => Array.from({ length: per }, () => s));
  const ablated = stretches.flatMap((_, s) => Array.from({ length: H }, (_, cell) => ({ stream: s * per + 1 + cell, cell })));
  const edits: CellEdits = {
    streams: Int32Array.from(ablated, (a) => a.stream),
    cells: Int32Array.from(ablated, (a) => a.cell),
    scale: new Float32Array(ablated.length),
    shift: new Float32Array(ablated.length),
  };
  const sums = new Float64Array(H);
  let baseline = 0;
  const { stopped } = await runStreams({
    model: input.model,
    ids: input.ids,
    streams,
    edit: { layer: input.layer, quantity: input.quantity, edits },
    editAt: (b, pos) => b % per !== 0 && pos >= start && pos < end,
    sequenceStarts: input.sequenceStarts,
    topK: 1,
    onScores(block) {
      const B = streams.length;
      for (let r = 0; r < block.positions.length; r++) {
        const pos = block.positions[r] as number;
        const b = r % B;
        if (b % per !== 0 || pos < start || pos >= end || !targets[pos - start]) continue;
        const clean = Math.log(Math.max(block.truth[r] as number, 1e-30));
        baseline += clean;
        for (let cell = 0; cell < H; cell++) sums[cell] = (sums[cell] as number) + Math.log(Math.max(block.truth[r + 1 + cell] as number, 1e-30)) - clean;
      }
    },
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}),
  });
  if (stopped) throw new ConflictError('the causal ranking was cancelled');
  return { deltaLogp: sums.map((s) => s / count), baselineLogp: baseline / count };
}

/**
 * Per position of [start, end): 1 at a target. A character (a token of a word corpus) marks the
 * positions before it, whose prediction it is; feature:F and regex:RE mark where they hold.
 */
export async function targetMask(db: Db, rec: RecordingSummary, ids: Int32Array, vocab: Vocab, target: string, start: number, end: number): Promise<Uint8Array> {
  const mask = new Uint8Array(end - start);
  if (target.startsWith('feature:') || target.startsWith('regex:')) {
    let where;
    try {
      where = parseWhere(target);
    } catch (err) {
      throw new BadRequestError((err as Error).message.replace(/^where/, 'target'), 'target');
    }
    if (where.kind === 'all') throw new BadRequestError('target must be a character, feature:F or regex:RE', 'target');
    const track = await recordingFeatureTrack(db, rec, where.kind === 'feature' ? where.feature : 'regex', where.kind === 'regex' ? where.regex : undefined);
    for (let p = start; p < end; p++) mask[p - start] = (track[p - rec.start] ?? 0) > 0 && p + 1 < ids.length ? 1 : 0;
    return mask;
  }
  const id = vocab.index.get(target);
  if (id === undefined) throw new BadRequestError(`target ${JSON.stringify(target)} is not in the model's vocabulary: give one of its characters, feature:F or regex:RE`, 'target');
  for (let p = start; p < end; p++) mask[p - start] = ids[p + 1] === id ? 1 : 0;
  return mask;
}

/** Each cell's AUC for the target positions, from the recording's columns (null when the quantity has none). */
async function storedAucs(db: Db, rec: RecordingSummary, layer: number, quantity: string, H: number, targets: Uint8Array, start: number): Promise<Float64Array | null> {
  if (rec.status !== 'completed' || !(TRACK_QUANTITIES as readonly string[]).includes(quantity) || !rec.stack[layer]?.quantities.includes(quantity)) return null;
  const from = start - rec.start;
  const aucs = new Float64Array(H);
  await forEachColumn(db, rec, layer, quantity, H, (c, column) => {
    aucs[c] = binaryScore(column.subarray(from, from + targets.length), targets).auc;
  });
  return aucs;
}

/**
 * Queues a causal ranking as an analysis job (lib/jobs/analysis-job.ts) after checking every
 * field, so that bad input is a 400 now rather than a failed job later.
 */
export async function startCausalRank(db: Db, recordingId: number, input: CausalRankInput, opts: { ownerId?: number | null } = {}): Promise<{ analysisId: number; jobId: number }> {
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: the causal ranking needs a completed recording`);
  requireModel(rec, 'ablate');
  if (!rec.predictions) throw new ConflictError(`recording ${rec.id} is of a model that predicts nothing (bidirectional): there is no prediction to measure ablations on`);
  const run = await getRun(db, rec.runId);
  if (run.config.classes) throw new ConflictError(`recording ${rec.id} is of a classifier: the causal ranking is measured on next-token predictions, which it does not make`);
  const quantity = input.quantity ?? 'h';
  checkLayerQuantity(rec.stack.map((l) => ({ arch: l.kind, units: l.units })), input.layer, quantity);
  const { start, end } = parseRange(rec, input.start, input.end);
  const { ids, vocab } = await corpusIdsForRun(db, run, rec.corpusId);
  const targets = await targetMask(db, rec, ids, vocab, input.target, start, end);
  if (!targets.some((v) => v)) throw new BadRequestError(`the target ${JSON.stringify(input.target)} occurs nowhere in positions ${start}..${end}`, 'target');
  const params: CausalRankInput = { layer: input.layer, quantity, target: input.target, start, end };
  return createAnalysis(db, { recordingId: rec.id, kind: 'causal-rank', params: { ...params }, ownerId: opts.ownerId ?? null });
}
