import type { Db } from '../db/client.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { getRecording, type RecordingSummary } from '../db/recordings.ts';
import { getRun } from '../db/runs.ts';
import { runVocab } from '../db/run-vocab.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { TOP_K } from './quantities.ts';
import { startsWithin } from '../corpus/sequences.ts';
import { recordedLayer, requireLayerCells, requireLayerQuantity } from './recorded-layers.ts';
import { readPredictionWindow, readStateWindow } from './window.ts';

/** What the neuron views read: text, one or more cells' values, and the prediction strip. */

/** The most values (cells × timesteps) one window read returns (7,000 cells × 20,000 steps took 2.6 GB). */
export const MAX_WINDOW_VALUES = 2_000_000;

/** Text of [start, end) (clamped to the recording) and, in a corpus of sequences, where sequences start in it. */
export async function recordingText(db: Db, rec: RecordingSummary, start: number, end: number): Promise<{ start: number; end: number; chars: string[]; sequenceStarts: number[] }> {
  const tokens = await loadCorpusTokens(db, rec.corpusId);
  const s = Math.max(rec.start, Math.min(start, rec.end));
  const e = Math.max(s, Math.min(end, rec.end));
  const sequenceStarts = tokens.sequences ? Array.from(startsWithin(tokens.sequences.starts, s, e), (p) => p + s) : [];
  return { start: s, end: e, chars: Array.from(tokens.ids.subarray(s, e), (id) => tokens.vocab.chars[id] ?? '\uFFFD'), sequenceStarts };
}

export async function recordingWindow(
  db: Db,
  recordingId: number,
  q: { layer: number; quantity: string; start: number; end: number; cells?: number[] | undefined },
): Promise<{ start: number; end: number; cells: number[]; values: number[][] }> {
  const rec = await getRecording(db, recordingId);
  const layer = recordedLayer(rec, q.layer);
  requireLayerQuantity(layer, q.quantity);
  requireLayerCells(layer, q.cells ?? []);
  const values = (q.cells?.length ?? layer.units) * (Math.min(q.end, rec.end) - Math.max(q.start, rec.start));
  if (values > MAX_WINDOW_VALUES) throw new BadRequestError(`a window holds at most ${MAX_WINDOW_VALUES.toLocaleString('en-US')} values (cells × timesteps), this one ${values.toLocaleString('en-US')}: ask for fewer cells or a shorter range`, 'cells');
  const w = await readStateWindow(db.raw, rec, q.layer, q.quantity, q.start, q.end, q.cells);
  const len = w.end - w.start;
  // Rounded to float16's precision: the JSON stays small and claims no digits that were not stored.
  const rows = w.cells.map((_, k) => Array.from(w.values.subarray(k * len, (k + 1) * len), (v) => Number(v.toPrecision(4))));
  return { start: w.start, end: w.end, cells: w.cells, values: rows };
}

export async function recordingPredictions(
  db: Db,
  recordingId: number,
  start: number,
  end: number,
): Promise<{ start: number; end: number; top: { chars: string[]; probs: number[] }[]; nextProb: (number | null)[] }> {
  const rec = await getRecording(db, recordingId);
  if (!rec.predictions) throw new ConflictError(`recording ${rec.id} holds no predictions: ${rec.origin === 'lstmvis' ? 'its states were imported from an LSTMVis project' : 'a bidirectional model has read the next character already'}`);
  const run = await getRun(db, rec.runId);
  // A classifier's predictions are its classes (and next.prob, p(the sequence's label)).
  const names = run.config.classes ?? (await runVocab(db, run)).chars;
  const p = await readPredictionWindow(db.raw, rec, start, end);
  const len = p.end - p.start;
  const top = Array.from({ length: len }, (_, t) => ({
    chars: Array.from(p.topIndex.subarray(t * TOP_K, (t + 1) * TOP_K).subarray(0, Math.min(TOP_K, names.length)), (id) => names[id] ?? ''),
    probs: Array.from(p.topProb.subarray(t * TOP_K, (t + 1) * TOP_K).subarray(0, Math.min(TOP_K, names.length)), (v) => Number(v.toPrecision(3))),
  }));
  return { start: p.start, end: p.end, top, nextProb: Array.from(p.nextProb, (v) => (Number.isNaN(v) ? null : Number(v.toPrecision(3)))) };
}

/**
 * The first occurrence of `query` at or after `from` inside the recorded range, wrapping around
 * to the range start; null when there is none. Offsets are character (code point) offsets.
 */
export async function searchRecordingText(db: Db, rec: RecordingSummary, query: string, from: number): Promise<number | null> {
  const tokens = await loadCorpusTokens(db, rec.corpusId);
  const needle: number[] = [];
  // A word corpus is searched word by word.
  for (const unit of tokens.unit === 'word' ? query.trim().split(/\s+/) : query) {
    const id = tokens.vocab.index.get(unit);
    if (id === undefined) return null;
    needle.push(id);
  }
  const ids = tokens.ids;
  const first = needle[0] ?? -1;
  const scan = (a: number, b: number): number | null => {
    outer: for (let p = a; p + needle.length <= b; p++) {
      if (ids[p] !== first) continue;
      for (let k = 1; k < needle.length; k++) if (ids[p + k] !== needle[k]) continue outer;
      return p;
    }
    return null;
  };
  const start = Math.max(rec.start, Math.min(from, rec.end));
  return scan(start, rec.end) ?? scan(rec.start, Math.min(rec.end, start + needle.length - 1));
}

