import type { Db } from '../db/client.ts';
import { getRecording, type RecordingSummary } from '../db/recordings.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { sequenceAt } from '../corpus/sequences.ts';
import { saliencySourceOfRecording } from '../saliency/saliency-source.ts';
import { SEQUENCE_LEAD_IN } from '../record/recorder.ts';
import type { CharModel } from '../../models/char-model.ts';
import type { CellEdits } from '../../models/fused/state-edit.ts';
import { describeSet, describeWhere, resolveIntervention, type InterventionInput, type ResolvedIntervention } from './intervention-spec.ts';
import { runStreams, splitStretches, type StreamStretch } from './stream-run.ts';
import { TOKEN_CLASSES, tokenClass } from './token-classes.ts';

/**
 * `cellscope intervene` and POST /api/recordings/:id/intervene (issue 13): the recording's model
 * run over a range of its corpus twice in the same batch of streams, as it is and with the
 * intervention, and what changed in its predictions of the next token: bits per character over
 * the range and per class of the next token, the positions most affected (with the top
 * predictions before and after), and per position Δ ln p(true next) for short ranges (the
 * neuron view's strip).
 */
export const WARM_UP = 128;
/** Ranges up to this many positions also get the per-position change. */
export const MAX_STRIP = 20_000;
/** ... and, when asked (the neuron view's hover), each position's top predictions before and after. */
export const MAX_DETAIL = 5_000;
const STREAM_PAIRS = 32;
const TOP_POSITIONS = 20;
const TOP_NEXT = 12;
const FLOOR = 1e-30;

export interface TokenProbability {
  token: string;
  p: number;
}

export interface InterventionReport {
  recordingId: number;
  layer: number;
  quantity: string;
  cells: number[];
  set: string;
  where: string;
  start: number;
  end: number;
  /** Positions scored (those with a next token) and, of them, where the intervention applied. */
  positions: number;
  intervened: number;
  bpcBefore: number;
  bpcAfter: number;
  /** Intervened minus original bits per character over the range. */
  deltaBpc: number;
  perClass: { class: string; count: number; bpcBefore: number; bpcAfter: number; deltaBpc: number }[];
  /** The next tokens whose prediction changed most in total, with the mean change of ln p. */
  perNext: { token: string; count: number; deltaLogp: number }[];
  /** The positions most affected either way (|Δ ln p(true next)|), largest first. */
  topPositions: { pos: number; next: string; deltaLogp: number; before: TokenProbability[]; after: TokenProbability[] }[];
  /** Δ ln p(true next) per position of [start, end) (null where none), for ranges up to MAX_STRIP. */
  deltaLogp?: (number | null)[];
  /** With `detail`, for ranges up to MAX_DETAIL: each position's top predictions before and after. */
  tops?: { before: TokenProbability[]; after: TokenProbability[] }[];
  tookMs: number;
}

export interface InterventionRunOptions {
  /** Also each position's top predictions before and after (ranges up to MAX_DETAIL). */
  detail?: boolean;
  onProgress?(fraction: number): Promise<void> | void;
  shouldStop?(): Promise<boolean> | boolean;
}

/** A model's predictions of a range with and without an intervention, per position. */
interface PairedScores {
  before: Float32Array;
  after: Float32Array;
  beforeTop: { ids: Int32Array; p: Float32Array };
  afterTop: { ids: Int32Array; p: Float32Array };
  k: number;
}

export async function intervene(db: Db, recordingId: number, input: InterventionInput, opts: InterventionRunOptions = {}): Promise<InterventionReport> {
  const started = performance.now();
  const rec = await getRecording(db, recordingId);
  requireModel(rec, 'intervene on');
  const source = await saliencySourceOfRecording(db, recordingId);
  if (source.classes) throw new ConflictError(`recording ${rec.id} is of a classifier: interventions are measured on next-token predictions, which it does not make`);
  const spec = await resolveIntervention(db, rec, source.model, input);
  const scores = await runPaired(source.model, source.ids, spec, source.sequenceStarts, opts);
  const token = (id: number): string => source.vocab.chars[id] ?? '\uFFFD';
  return { recordingId: rec.id, ...summarize(spec, scores, source.ids, token, opts.detail === true), tookMs: Math.round(performance.now() - started) };
}

/** A recording whose model can be run: not states imported without one (a 400 naming the recording). */
export function requireModel(rec: RecordingSummary, what: string): void {
  if (rec.origin === 'lstmvis') throw new BadRequestError(`recording ${rec.id} was imported from an LSTMVis project: it has states but no model weights to ${what}`, 'recording');
}

/** Stretches of [start, end), each warmed up (in a corpus of sequences, from its sequence's start when near). */
export function warmedStretches(start: number, end: number, count: number, sequenceStarts: Int32Array | null): StreamStretch[] {
  return splitStretches(start, end, count, WARM_UP).map((s) => {
    if (!sequenceStarts || sequenceStarts.length === 0) return s;
    const seqStart = sequenceStarts[sequenceAt(sequenceStarts, s.score)] ?? 0;
    return s.score - seqStart <= SEQUENCE_LEAD_IN ? { ...s, from: Math.min(s.from, seqStart) } : s;
  });
}

async function runPaired(model: CharModel, ids: Int32Array, spec: ResolvedIntervention, sequenceStarts: Int32Array | null, opts: InterventionRunOptions): Promise<PairedScores> {
  const { start, end } = spec;
  const n = end - start;
  const stretches = warmedStretches(start, end, STREAM_PAIRS, sequenceStarts);
  // Stream 2s reads stretch s as the model is; stream 2s + 1 with the intervention.
  const streams = stretches.flatMap((s) => [s, s]);
  const pairs = stretches.flatMap((_, s) => spec.cells.map((cell, k) => ({ stream: 2 * s + 1, cell, k })));
  const edits: CellEdits = {
    streams: Int32Array.from(pairs, (p) => p.stream),
    cells: Int32Array.from(pairs, (p) => p.cell),
    scale: Float32Array.from(pairs, (p) => spec.scale[p.k] as number),
    shift: Float32Array.from(pairs, (p) => spec.shift[p.k] as number),
  };
  const k = Math.min(5, model.shape.vocabSize);
  const out: PairedScores = {
    before: new Float32Array(n).fill(NaN),
    after: new Float32Array(n).fill(NaN),
    beforeTop: { ids: new Int32Array(n * k), p: new Float32Array(n * k) },
    afterTop: { ids: new Int32Array(n * k), p: new Float32Array(n * k) },
    k,
  };
  const { stopped } = await runStreams({
    model,
    ids,
    streams,
    edit: { layer: spec.layer, quantity: spec.quantity, edits },
    editAt: (b, pos) => b % 2 === 1 && pos >= start && pos < end && spec.mask[pos - start] === 1,
    sequenceStarts,
    topK: k,
    onScores(block) {
      const B = streams.length;
      block.positions.forEach((pos, r) => {
        if (pos < start || pos >= end) return;
        const edited = (r % B) % 2 === 1;
        const at = pos - start;
        (edited ? out.after : out.before)[at] = block.truth[r] as number;
        const top = edited ? out.afterTop : out.beforeTop;
        top.ids.set(block.topIndices.subarray(r * block.k, (r + 1) * block.k), at * k);
        top.p.set(block.topValues.subarray(r * block.k, (r + 1) * block.k), at * k);
      });
    },
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}),
  });
  if (stopped) throw new ConflictError('the intervention was cancelled');
  return out;
}

function summarize(spec: ResolvedIntervention, s: PairedScores, ids: Int32Array, token: (id: number) => string, detail: boolean): Omit<InterventionReport, 'recordingId' | 'tookMs'> {
  const { start, end } = spec;
  const n = end - start;
  const classes = new Map(TOKEN_CLASSES.map((c) => [c as string, { count: 0, before: 0, after: 0 }]));
  const byNext = new Map<number, { count: number; sum: number }>();
  const delta: (number | null)[] = [];
  let count = 0;
  let intervened = 0;
  let before = 0;
  let after = 0;
  for (let at = 0; at < n; at++) {
    const pb = s.before[at] as number;
    const pa = s.after[at] as number;
    if (Number.isNaN(pb) || Number.isNaN(pa)) {
      delta.push(null);
      continue;
    }
    const lb = Math.log(Math.max(pb, FLOOR));
    const la = Math.log(Math.max(pa, FLOOR));
    delta.push(la - lb);
    count++;
    if (spec.mask[at]) intervened++;
    before -= lb;
    after -= la;
    const next = ids[start + at + 1] as number;
    const c = classes.get(tokenClass(token(next))) as { count: number; before: number; after: number };
    c.count++;
    c.before -= lb;
    c.after -= la;
    const e = byNext.get(next) ?? { count: 0, sum: 0 };
    e.count++;
    e.sum += la - lb;
    byNext.set(next, e);
  }
  const bits = (nats: number, m: number): number => (m > 0 ? nats / m / Math.LN2 : 0);
  const tops = (top: { ids: Int32Array; p: Float32Array }, at: number): TokenProbability[] =>
    Array.from({ length: s.k }, (_, j) => ({ token: token(top.ids[at * s.k + j] as number), p: top.p[at * s.k + j] as number }));
  const order = delta.map((d, at) => [at, d] as const).filter((x): x is readonly [number, number] => x[1] !== null).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0]);
  return {
    layer: spec.layer,
    quantity: spec.quantity,
    cells: spec.cells,
    set: describeSet(spec.set),
    where: describeWhere(spec.where),
    start,
    end,
    positions: count,
    intervened,
    bpcBefore: bits(before, count),
    bpcAfter: bits(after, count),
    deltaBpc: bits(after - before, count),
    perClass: [...classes].filter(([, c]) => c.count > 0).map(([name, c]) => ({ class: name, count: c.count, bpcBefore: bits(c.before, c.count), bpcAfter: bits(c.after, c.count), deltaBpc: bits(c.after - c.before, c.count) })),
    perNext: [...byNext].sort((a, b) => Math.abs(b[1].sum) - Math.abs(a[1].sum)).slice(0, TOP_NEXT).map(([id, e]) => ({ token: token(id), count: e.count, deltaLogp: e.sum / e.count })),
    topPositions: order.slice(0, TOP_POSITIONS).map(([at, d]) => ({ pos: start + at, next: token(ids[start + at + 1] as number), deltaLogp: d, before: tops(s.beforeTop, at), after: tops(s.afterTop, at) })),
    ...(n <= MAX_STRIP ? { deltaLogp: delta } : {}),
    ...(detail && n <= MAX_DETAIL ? { tops: Array.from({ length: n }, (_, at) => ({ before: tops(s.beforeTop, at), after: tops(s.afterTop, at) })) } : {}),
  };
}
