import { BadRequestError } from '../errors.ts';

/**
 * Corpora of separate sequences (issue 12): sentences, reviews, lines of code, each read from a
 * fresh state, as a classifier or a sentence model was trained. A sequence file is either JSONL,
 * one {"text": ..., "label": ...} object per line (the label optional), or plain text with one
 * sequence per line. The corpus stores the sequences one after another with no separator between
 * them (a separator would be a token the model reads); where each starts is kept beside the text.
 */

export interface SequenceSet {
  texts: string[];
  /** Each sequence's label (null: none); all null when the file has no labels. */
  labels: (string | null)[];
}

/** Where a corpus's sequences start (the first at 0, ascending) and their labels. */
export interface CorpusSequences {
  starts: Int32Array;
  /** null when no sequence has a label. */
  labels: (string | null)[] | null;
}

/** Most sequences one corpus may hold (their starts are kept in memory with the corpus). */
export const MAX_SEQUENCES = 5_000_000;

/** Parses a sequence file: JSONL when its first non-empty line is a JSON object, else one sequence per non-empty line. */
export function parseSequenceFile(text: string): SequenceSet {
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  const jsonl = firstLine.trimStart().startsWith('{');
  const texts: string[] = [];
  const labels: (string | null)[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (texts.length >= MAX_SEQUENCES) throw new BadRequestError(`the file holds more than ${MAX_SEQUENCES.toLocaleString('en-US')} sequences`, 'file');
    if (!jsonl) {
      texts.push(line);
      labels.push(null);
      return;
    }
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw new BadRequestError(`line ${i + 1} is not JSON (the file's first line was, so every line must be a {"text", "label"} object): ${(err as Error).message}`, 'file');
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new BadRequestError(`line ${i + 1} is not a JSON object with a "text"`, 'file');
    const { text: t, label } = row as { text?: unknown; label?: unknown };
    if (typeof t !== 'string' || t === '') throw new BadRequestError(`line ${i + 1} has no "text" string (each line is {"text": "...", "label": ...})`, 'file');
    if (label !== undefined && label !== null && typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') {
      throw new BadRequestError(`line ${i + 1}: "label" must be a string, a number or a boolean`, 'file');
    }
    texts.push(t);
    labels.push(label === undefined || label === null ? null : String(label));
  });
  if (texts.length === 0) throw new BadRequestError('the file holds no sequence (every line is empty)', 'file');
  return { texts, labels };
}

/** Starts from each sequence's length in tokens (every length ≥ 1). */
export function startsFromLengths(lengths: readonly number[]): Int32Array {
  const starts = new Int32Array(lengths.length);
  let at = 0;
  lengths.forEach((n, k) => {
    starts[k] = at;
    at += n;
  });
  return starts;
}

/** The held-out split at a sequence start near `near` (so no sequence straddles it); at least one sequence each side. */
export function splitAtSequence(starts: Int32Array, near: number): number {
  if (starts.length < 2) return near;
  let best = starts[1] as number;
  for (let k = 1; k < starts.length; k++) if (Math.abs((starts[k] as number) - near) < Math.abs(best - near)) best = starts[k] as number;
  return best;
}

/** Index of the sequence holding position `pos` (binary search over the starts). */
export function sequenceAt(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Positions [start, end) of sequence k of a corpus of `total` tokens, or a 400 naming how many there are. */
export function sequenceRange(seqs: CorpusSequences, k: number, total: number, field = 'sequence'): [number, number] {
  if (!Number.isInteger(k) || k < 0 || k >= seqs.starts.length) throw new BadRequestError(`sequence ${k} does not exist: the corpus has sequences 0-${seqs.starts.length - 1}`, field);
  return [seqs.starts[k] as number, k + 1 < seqs.starts.length ? (seqs.starts[k + 1] as number) : total];
}

/** The sequence starts inside [start, end), as positions relative to `start` (for a recording's range). */
export function startsWithin(starts: Int32Array, start: number, end: number): Int32Array {
  const out: number[] = [];
  for (let k = sequenceAt(starts, start); k < starts.length; k++) {
    const s = starts[k] as number;
    if (s >= end) break;
    if (s >= start) out.push(s - start);
  }
  return Int32Array.from(out);
}

export function encodeSequences(seqs: CorpusSequences): string {
  return JSON.stringify({ starts: Array.from(seqs.starts), labels: seqs.labels });
}

export function decodeSequences(json: string | null): CorpusSequences | null {
  if (json === null) return null;
  const raw = JSON.parse(json) as { starts: number[]; labels: (string | null)[] | null };
  return { starts: Int32Array.from(raw.starts), labels: raw.labels };
}
