import type { Db } from '../db/client.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { getRecording, type RecordingSummary } from '../db/recordings.ts';
import { recordedLayer, requireLayerCells } from '../record/recorded-layers.ts';
import { startsWithin } from '../corpus/sequences.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { matchTracks, scoreRanges } from './match.ts';
import type { MatchResult } from './match-types.ts';
import type { BitTracks } from './bit-tracks.ts';
import { loadColumns } from './columns.ts';
import { scaledByRange, softMatch } from './soft-match.ts';
import { activeCells } from './select.ts';
import { indexedQuantities, levelOf, loadTracks, TRACK_LEVELS } from './track-store.ts';
import { matchStrip, type MatchStrip } from './strips.ts';
import { corpusPosTrack, POS_TAGS } from '../corpus/pos-track.ts';
import { listLabelTracks } from '../db/corpus-labels.ts';
import { loadLabelTrack } from '../db/corpus-labels.ts';
import { decode } from '../corpus/vocab.ts';

/**
 * Select & match on a stored recording (the HTTP endpoints and `cellscope match`): validates the
 * query against the recording, loads its index (track-store.ts) and runs select.ts / match.ts.
 * Positions are 0-based corpus offsets inside the recorded range, `end` exclusive.
 */
export interface SelectQuery {
  layer: number;
  quantity: string;
  start: number;
  end: number;
  threshold: number;
  offBefore?: boolean;
  offAfter?: boolean;
}

export interface MatchQuery extends SelectQuery {
  /** The cells to match; by default the selection's. */
  cells?: number[];
  limit?: number;
  offset?: number;
  exactLength?: number;
  minLength?: number;
  maxLength?: number;
  /** Also return each match's strip (strips.ts): the selected cells' values and top-1 predictions. */
  strips?: boolean;
  /**
   * The annotation track in strips and the tag histogram: part of speech, a label track's id, or
   * null for none (the default: pos, or a word corpus's first label track).
   */
  track?: 'pos' | number | null;
  /** threshold (LSTMVis, default) or soft: cosine similarity of the cells' values (soft-match.ts). */
  mode?: 'threshold' | 'soft';
}

export interface SelectAnswer {
  cells: number[];
  /** Set when no cell qualifies: what to try instead. */
  note?: string;
}

export interface MatchAnswer extends SelectAnswer {
  /** text: the matched characters (over MATCH_TEXT_MAX long: both ends around '…'). */
  matches: { start: number; end: number; intersection: number; union: number; jaccard: number; score?: number; text: string; strip?: MatchStrip }[];
  /** Candidate ranges scored. */
  candidates: number;
  /** Lengths of the runs with every selected cell on (match-types.ts MatchResult.lengths). */
  lengths: number[];
  /** With strips: part-of-speech tags counted over every character of the returned matches. */
  tags?: Record<string, number>;
  /** Milliseconds the search itself took (index loading excluded). */
  tookMs: number;
}

async function prepare(db: Db, recordingId: number, q: SelectQuery) {
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: select & match need a completed recording`);
  const layer = recordedLayer(rec, q.layer);
  const quantities = indexedQuantities(layer);
  if (!quantities.includes(q.quantity)) throw new BadRequestError(`quantity must be ${quantities.join(' or ')} for layer ${layer.name} of this recording, got ${q.quantity}`, 'quantity');
  if (!(Number.isInteger(q.start) && Number.isInteger(q.end) && q.start >= rec.start && q.end > q.start && q.end <= rec.end)) {
    throw new BadRequestError(`the range [${q.start}, ${q.end}) must lie inside the recorded characters [${rec.start}, ${rec.end}) and hold at least one`, 'start');
  }
  const level = levelOf(q.threshold);
  if (level === undefined) throw new BadRequestError(`threshold must be one of ${TRACK_LEVELS.map((l) => (l / 10).toFixed(1)).join(', ')} (the indexed levels), got ${q.threshold}`, 'threshold');
  const tracks = await loadTracks(db, rec, q.layer, q.quantity, level);
  return { rec, tracks, layer };
}

function noCellsNote(q: SelectQuery): string {
  return `no cell of layer ${q.layer} ${q.quantity} is on at every step of [${q.start}, ${q.end}) at threshold ${q.threshold}${q.offBefore ? ' and off just before it' : ''}${q.offAfter ? ' and off just after it' : ''}: lower the threshold, shorten the range or drop a constraint`;
}

export async function selectInRecording(db: Db, recordingId: number, q: SelectQuery): Promise<SelectAnswer> {
  const { rec, tracks } = await prepare(db, recordingId, q);
  const cells = activeCells(tracks, q.start - rec.start, q.end - rec.start, { offBefore: q.offBefore ?? true, offAfter: q.offAfter ?? false });
  return cells.length ? { cells } : { cells, note: noCellsNote(q) };
}

export async function matchInRecording(db: Db, recordingId: number, q: MatchQuery): Promise<MatchAnswer> {
  const { rec, tracks, layer } = await prepare(db, recordingId, q);
  // A corpus of sequences: no match spans two of them.
  const { sequences } = await loadCorpusTokens(db, rec.corpusId);
  const boundaries = sequences ? startsWithin(sequences.starts, rec.start, rec.end) : undefined;
  const opts = { offBefore: q.offBefore ?? true, offAfter: q.offAfter ?? false, ...(boundaries ? { boundaries } : {}) };
  let cells: number[];
  if (q.cells) {
    requireLayerCells(layer, q.cells);
    if (new Set(q.cells).size !== q.cells.length) throw new BadRequestError('each cell at most once', 'cells');
    cells = [...q.cells];
  } else {
    cells = activeCells(tracks, q.start - rec.start, q.end - rec.start, opts);
  }
  if (cells.length === 0) return { cells, note: noCellsNote(q), matches: [], candidates: 0, lengths: [], tookMs: 0 };
  const t0 = performance.now();
  const result = q.mode === 'soft' ? await soft(db, rec, tracks, cells, q, opts) : matchTracks(tracks, cells, {
    ...opts,
    selectionLength: q.end - q.start,
    limit: q.limit ?? 50,
    offset: q.offset ?? 0,
    ...(q.exactLength !== undefined ? { exactLength: q.exactLength } : {}),
    ...(q.minLength !== undefined ? { minLength: q.minLength } : {}),
    ...(q.maxLength !== undefined ? { maxLength: q.maxLength } : {}),
  });
  const tookMs = performance.now() - t0;
  const text = await textOf(db, rec);
  const matches = result.matches.map((m) => ({ ...m, start: m.start + rec.start, end: m.end + rec.start, text: text(m.start + rec.start, m.end + rec.start) }));
  let tags: Record<string, number> | undefined;
  if (q.strips) {
    const tokens = await loadCorpusTokens(db, rec.corpusId);
    const track = q.track !== undefined ? q.track : (tokens.unit === 'word' ? await firstLabelTrack(db, rec.corpusId) : 'pos');
    if (track === 'pos' && tokens.unit === 'word') throw new BadRequestError('part-of-speech tags are computed on character corpora: pick one of this corpus\'s label tracks', 'track');
    const annotation = track === null ? { names: [''], tags: new Uint8Array(tokens.ids.length) } : await annotationTrack(db, rec.corpusId, track, () => decode(tokens.ids, tokens.vocab));
    tags = {};
    for (const m of matches) {
      Object.assign(m, { strip: await matchStrip(db, rec, tokens, annotation, q.layer, q.quantity, cells, m.start, m.end) });
      for (let p = m.start; p < m.end; p++) {
        const tag = annotation.names[annotation.tags[p] ?? 0] || 'none';
        tags[tag] = (tags[tag] ?? 0) + 1;
      }
    }
  }
  return { cells, matches, candidates: result.candidates, lengths: result.lengths ?? [], ...(tags ? { tags } : {}), tookMs };
}

/** Longest match text returned whole; longer ones keep their first and last half of it around '…'. */
export const MATCH_TEXT_MAX = 120;

/** A word corpus's first label track (an LSTMVis project's annotations), or null when it has none. */
async function firstLabelTrack(db: Db, corpusId: number): Promise<number | null> {
  const tracks = await listLabelTracks(db, corpusId);
  return tracks[0]?.id ?? null;
}

async function textOf(db: Db, rec: RecordingSummary): Promise<(start: number, end: number) => string> {
  const tokens = await loadCorpusTokens(db, rec.corpusId);
  // Words are shown with spaces between them.
  const sep = tokens.unit === 'word' ? ' ' : '';
  const chars = (a: number, b: number): string => Array.from(tokens.ids.subarray(a, b), (id) => tokens.vocab.chars[id] ?? '\uFFFD').join(sep);
  const half = MATCH_TEXT_MAX / 2;
  return (start, end) => (end - start <= MATCH_TEXT_MAX ? chars(start, end) : `${chars(start, start + half)}…${chars(end - half, end)}`);
}

/** An annotation track as label names and a per-character index into them. */
export interface Annotation {
  names: readonly string[];
  tags: ArrayLike<number>;
}

async function annotationTrack(db: Db, corpusId: number, track: 'pos' | number, text: () => string): Promise<Annotation> {
  if (track === 'pos') return { names: POS_TAGS, tags: corpusPosTrack(corpusId, text) };
  return loadLabelTrack(db, corpusId, track);
}

/**
 * Soft mode: the windows closest to the selection by cosine over the selected cells' values
 * (columns.ts, soft-match.ts), each also scored like a threshold match for comparison.
 */
async function soft(db: Db, rec: RecordingSummary, tracks: BitTracks, cells: number[], q: MatchQuery, opts: { offBefore: boolean; offAfter: boolean; boundaries?: Int32Array }): Promise<MatchResult> {
  const T = rec.end - rec.start;
  const cols = scaledByRange((await loadColumns(db, rec, q.layer, q.quantity, cells)).values, cells.length);
  const found = softMatch(cols, { T, C: cells.length, start: q.start - rec.start, end: q.end - rec.start, limit: q.limit ?? 50, offset: q.offset ?? 0, ...(opts.boundaries ? { boundaries: opts.boundaries } : {}) });
  const scored = scoreRanges(tracks, cells, found.flatMap((m) => [m.start, m.end]), { ...opts, selectionLength: q.end - q.start });
  return { matches: scored.map((m, i) => ({ ...m, score: found[i]?.score ?? 0 })), candidates: T - (q.end - q.start) + 1 };
}
