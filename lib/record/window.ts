import type { RawSql } from '../db/raw-sql.ts';
import { ConflictError } from '../errors.ts';
import { readChunks } from './chunk-store.ts';
import { decodeF16, decodeTable, fromFloat16, u16View } from './f16.ts';
import { PREDICTION_LAYER, TOP_K } from './quantities.ts';

export interface RecordingLayout {
  id: number;
  start: number;
  end: number;
  chunkSize: number;
  /** Each layer's cells (lib/record/recorded-layers.ts): a chunk row holds that many values. */
  stack: readonly { units: number }[];
}

/** Cells of one layer (a chunk row's length), or an error for a layer the recording lacks. */
function unitsOf(rec: RecordingLayout, layer: number): number {
  const l = rec.stack[layer];
  if (!l) throw new ConflictError(`recording ${rec.id} has no layer ${layer}`);
  return l.units;
}

export interface StateWindow {
  start: number;
  end: number;
  /** Cells in the order asked for. */
  cells: number[];
  /** values[k * (end - start) + t]: cell cells[k] at timestep start + t. */
  values: Float32Array;
}

function clampRange(rec: RecordingLayout, start: number, end: number): [number, number] {
  const s = Math.max(rec.start, Math.min(start, rec.end));
  const e = Math.max(s, Math.min(end, rec.end));
  return [s, e];
}

function chunkSpan(rec: RecordingLayout, s: number, e: number): [number, number] {
  return [Math.floor((s - rec.start) / rec.chunkSize), Math.floor((e - 1 - rec.start) / rec.chunkSize)];
}

/**
 * Steps with no stored chunk are not zeros: a queued, running, cancelled or failed recording
 * (or an imported one without predictions) has nothing there, and the caller is told so (409).
 */
function requireChunks(rec: RecordingLayout, chunks: readonly { chunk: number }[], span: [number, number], what: string): void {
  const [c0, c1] = span;
  if (chunks.length === c1 - c0 + 1) return;
  const have = new Set(chunks.map((c) => c.chunk));
  let first = c0;
  while (have.has(first)) first++;
  const from = rec.start + first * rec.chunkSize;
  throw new ConflictError(`recording ${rec.id} holds no ${what} from step ${from} on (of ${rec.start}–${rec.end}): it is not recorded there (yet)`);
}

/**
 * Reads timesteps [start, end) (clamped to the recording) of the given cells (all when `cells`
 * is undefined) of one layer's quantity, decoding float16 on the fly.
 * Cell-major output suits the views, which draw one strip per cell.
 */
export async function readStateWindow(
  raw: RawSql,
  rec: RecordingLayout,
  layer: number,
  quantity: string,
  start: number,
  end: number,
  cells?: readonly number[],
): Promise<StateWindow> {
  const [s, e] = clampRange(rec, start, end);
  const H = unitsOf(rec, layer);
  const wanted = cells ? [...cells] : Array.from({ length: H }, (_, k) => k);
  const len = e - s;
  const values = new Float32Array(wanted.length * len);
  if (len === 0) return { start: s, end: e, cells: wanted, values };
  const [c0, c1] = chunkSpan(rec, s, e);
  const chunks = await readChunks(raw, rec.id, layer, quantity, c0, c1);
  requireChunks(rec, chunks, [c0, c1], `layer ${layer} ${quantity} states`);
  const table = decodeTable();
  for (const ch of chunks) {
    const halves = u16View(ch.data);
    const from = Math.max(s, ch.start);
    const to = Math.min(e, ch.start + ch.length);
    for (let t = from; t < to; t++) {
      const rowBase = (t - ch.start) * H;
      const outT = t - s;
      for (let k = 0; k < wanted.length; k++) {
        values[k * len + outT] = table[halves[rowBase + (wanted[k] ?? 0)] ?? 0] ?? NaN;
      }
    }
  }
  return { start: s, end: e, cells: wanted, values };
}

/**
 * Timestep-major read of all cells, [t][cell], the layout the bench and the search kernels use.
 */
export async function readStateRows(
  raw: RawSql,
  rec: RecordingLayout,
  layer: number,
  quantity: string,
  start: number,
  end: number,
): Promise<{ start: number; end: number; values: Float32Array }> {
  return readRows(raw, rec, { layer, quantity, width: unitsOf(rec, layer), what: `layer ${layer} ${quantity} states` }, start, end);
}

/** A classifier's class probabilities after each step of [start, end), [t][class] (class.prob). */
export async function readClassRows(raw: RawSql, rec: RecordingLayout, classes: number, start: number, end: number): Promise<{ start: number; end: number; values: Float32Array }> {
  return readRows(raw, rec, { layer: PREDICTION_LAYER, quantity: 'class.prob', width: classes, what: 'class probabilities' }, start, end);
}

/** Rows of `width` float16 values of one stored quantity, decoded. */
async function readRows(raw: RawSql, rec: RecordingLayout, of: { layer: number; quantity: string; width: number; what: string }, start: number, end: number): Promise<{ start: number; end: number; values: Float32Array }> {
  const { layer, quantity, width: H } = of;
  const [s, e] = clampRange(rec, start, end);
  const values = new Float32Array((e - s) * H);
  if (e === s) return { start: s, end: e, values };
  const [c0, c1] = chunkSpan(rec, s, e);
  const chunks = await readChunks(raw, rec.id, layer, quantity, c0, c1);
  requireChunks(rec, chunks, [c0, c1], of.what);
  for (const ch of chunks) {
    const halves = u16View(ch.data);
    const from = Math.max(s, ch.start);
    const to = Math.min(e, ch.start + ch.length);
    decodeF16(halves.subarray((from - ch.start) * H, (to - ch.start) * H), values.subarray((from - s) * H, (to - s) * H));
  }
  return { start: s, end: e, values };
}

export interface PredictionWindow {
  start: number;
  end: number;
  /** [t][TOP_K] token ids, best first. */
  topIndex: Uint16Array;
  /** [t][TOP_K] probabilities. */
  topProb: Float32Array;
  /** [t] probability of the true next character (NaN at the corpus end). */
  nextProb: Float32Array;
}

export async function readPredictionWindow(
  raw: RawSql,
  rec: RecordingLayout,
  start: number,
  end: number,
): Promise<PredictionWindow> {
  const [s, e] = clampRange(rec, start, end);
  const len = e - s;
  const topIndex = new Uint16Array(len * TOP_K);
  const topProb = new Float32Array(len * TOP_K);
  const nextProb = new Float32Array(len);
  if (len === 0) return { start: s, end: e, topIndex, topProb, nextProb };
  const [c0, c1] = chunkSpan(rec, s, e);
  const [idx, prob, next] = await Promise.all(
    ['top.index', 'top.prob', 'next.prob'].map((q) => readChunks(raw, rec.id, PREDICTION_LAYER, q, c0, c1)),
  );
  for (const chunks of [idx, prob, next]) requireChunks(rec, chunks ?? [], [c0, c1], 'predictions');
  for (const ch of idx ?? []) {
    const v = u16View(ch.data);
    for (let t = Math.max(s, ch.start); t < Math.min(e, ch.start + ch.length); t++) {
      for (let j = 0; j < TOP_K; j++) topIndex[(t - s) * TOP_K + j] = v[(t - ch.start) * TOP_K + j] ?? 0;
    }
  }
  for (const ch of prob ?? []) {
    const v = u16View(ch.data);
    for (let t = Math.max(s, ch.start); t < Math.min(e, ch.start + ch.length); t++) {
      for (let j = 0; j < TOP_K; j++) topProb[(t - s) * TOP_K + j] = fromFloat16(v[(t - ch.start) * TOP_K + j] ?? 0);
    }
  }
  for (const ch of next ?? []) {
    const v = u16View(ch.data);
    for (let t = Math.max(s, ch.start); t < Math.min(e, ch.start + ch.length); t++) {
      nextProb[t - s] = fromFloat16(v[t - ch.start] ?? 0);
    }
  }
  return { start: s, end: e, topIndex, topProb, nextProb };
}
