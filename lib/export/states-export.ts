import type { Db } from '../db/client.ts';
import { getRecording } from '../db/recordings.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { recordingText } from '../record/recording-reads.ts';
import { readClassRows, readStateRows } from '../record/window.ts';
import { getRun } from '../db/runs.ts';
import { recordedLayer, requireLayerQuantity } from '../record/recorded-layers.ts';
import { npyData, npyHeader } from './npy.ts';
import { csvField } from './table-export.ts';
import { concatBytes } from '../util/bytes.ts';
import { loadCorpusTokens } from '../db/corpora.ts';
import { sequenceRange } from '../corpus/sequences.ts';

/**
 * A recording's states over a range (the whole recording by default), as a file: .npy
 * ([timesteps][cells] float32, numpy.load reads it), CSV (position, character, then one column
 * per cell) or JSON ({layer, quantity, start, end, data: [[cell values] per timestep]}). Values
 * are the recorded float16 ones. The file is produced a block of timesteps at a time, so memory
 * stays bounded whatever its size: a .npy has no size limit; the text formats stop at
 * MAX_EXPORT_VALUES, past which no spreadsheet or JSON parser would read them anyway.
 */
export const EXPORT_FORMATS = ['npy', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Most values (timesteps × cells) one CSV or JSON export holds (.npy: no limit). */
export const MAX_EXPORT_VALUES = 50_000_000;
/** Values read and encoded at a time. */
const BLOCK_VALUES = 1 << 18;

export interface StatesExport {
  /** The file's bytes, block by block. */
  blocks: AsyncIterable<Uint8Array>;
  contentType: string;
  filename: string;
  /** Timesteps the file holds. */
  timesteps: number;
}

export interface StatesExportQuery {
  layer: number;
  quantity: string;
  /** The range, end exclusive; the recording's own by default. */
  start?: number | undefined;
  end?: number | undefined;
  /** A corpus of sequences: the K-th sequence's steps (0-based), instead of start and end. */
  sequence?: number | undefined;
  format: string;
}

/** The quantity that exports a classifier's class probabilities after each step. */
export const CLASSES_QUANTITY = 'classes';

/** A classifier recording's class names, or a 400 for a language model's. */
async function classNamesOf(db: Db, rec: { id: number; runId: number }): Promise<string[]> {
  const run = await getRun(db, rec.runId);
  if (!run.config.classes) throw new BadRequestError(`recording ${rec.id} is of a language model, which scores next tokens, not classes: export a layer's states`, 'quantity');
  return run.config.classes;
}

/** The range a query asks for: its start and end, or its sequence's, or the whole recording. */
async function rangeOf(db: Db, rec: { corpusId: number; start: number; end: number }, query: StatesExportQuery): Promise<{ start: number; end: number }> {
  if (query.sequence === undefined) return { start: query.start ?? rec.start, end: query.end ?? rec.end };
  if (query.start !== undefined || query.end !== undefined) throw new BadRequestError('give a sequence or a start and end, not both', 'sequence');
  const tokens = await loadCorpusTokens(db, rec.corpusId);
  if (!tokens.sequences) throw new BadRequestError('the recorded corpus is one continuous text, not a set of sequences: give a start and end', 'sequence');
  const [start, end] = sequenceRange(tokens.sequences, query.sequence, tokens.ids.length);
  if (start < rec.start || end > rec.end) throw new BadRequestError(`sequence ${query.sequence} (positions ${start}-${end}) is not wholly inside the recorded range ${rec.start}-${rec.end}`, 'sequence');
  return { start, end };
}

export async function exportStates(db: Db, recordingId: number, query: StatesExportQuery): Promise<StatesExport> {
  const rec = await getRecording(db, recordingId);
  const q = { ...query, ...(await rangeOf(db, rec, query)) };
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: export a completed recording`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(q.format)) throw new BadRequestError(`format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(q.format)}`, 'format');
  // quantity "classes": a classifier's class probabilities after each step (no layer of its own).
  const classes = q.quantity === CLASSES_QUANTITY ? await classNamesOf(db, rec) : null;
  const layer = classes ? null : recordedLayer(rec, q.layer);
  if (layer) requireLayerQuantity(layer, q.quantity);
  if (!Number.isInteger(q.start) || !Number.isInteger(q.end) || q.start < rec.start || q.end > rec.end || q.start >= q.end) {
    throw new BadRequestError(`start..end must lie inside the recorded range ${rec.start}..${rec.end}, got ${q.start}..${q.end}`, 'start');
  }
  const T = q.end - q.start;
  const H = classes ? classes.length : (layer?.units ?? 0);
  const read = (s: number, e: number) => (classes ? readClassRows(db.raw, rec, H, s, e) : readStateRows(db.raw, rec, q.layer, q.quantity, s, e));
  if (q.format !== 'npy' && T * H > MAX_EXPORT_VALUES) throw new BadRequestError(`${T} timesteps × ${H} cells is over the ${MAX_EXPORT_VALUES.toLocaleString('en-US')} values one ${q.format.toUpperCase()} export holds: export a shorter range, or the whole recording as .npy (no limit)`, 'end');
  const base = classes ? `recording${rec.id}-classes-${q.start}-${q.end}` : `recording${rec.id}-L${q.layer}-${q.quantity}-${q.start}-${q.end}`;
  const step = Math.max(1, Math.floor(BLOCK_VALUES / H));
  const encoder = new TextEncoder();
  const format = q.format as ExportFormat;
  async function* blocks(): AsyncGenerator<Uint8Array> {
    if (format === 'npy') yield npyHeader([T, H]);
    else if (format === 'json') yield encoder.encode(`{${classes ? `"classes":${JSON.stringify(classes)}` : `"layer":${q.layer}`},"quantity":${JSON.stringify(q.quantity)},"start":${q.start},"end":${q.end},"data":[`);
    else yield encoder.encode(`${['position', 'char', ...(classes ? classes.map(csvField) : Array.from({ length: H }, (_, c) => `${q.quantity}${c}`))].join(',')}\n`);
    for (let s = q.start; s < q.end; s += step) {
      const e = Math.min(q.end, s + step);
      const rows = await read(s, e);
      if (format === 'npy') {
        yield npyData(rows.values);
        continue;
      }
      const lines: string[] = [];
      if (format === 'json') {
        for (let t = 0; t < e - s; t++) lines.push(`${s + t > q.start ? ',' : ''}[${Array.from(rows.values.subarray(t * H, (t + 1) * H)).join(',')}]`);
        yield encoder.encode(lines.join(''));
        continue;
      }
      const text = await recordingText(db, rec, s, e);
      for (let t = 0; t < e - s; t++) lines.push(`${[String(s + t), csvField(text.chars[t] ?? ''), ...Array.from(rows.values.subarray(t * H, (t + 1) * H), (v) => String(v))].join(',')}\n`);
      yield encoder.encode(lines.join(''));
    }
    if (format === 'json') yield encoder.encode(']}');
  }
  const contentType = format === 'npy' ? 'application/octet-stream' : format === 'json' ? 'application/json' : 'text/csv; charset=utf-8';
  return { blocks: blocks(), contentType, filename: `${base}.${format}`, timesteps: T };
}

/** The whole export in memory (tests and small files). */
export async function exportBytes(file: StatesExport): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const b of file.blocks) parts.push(b);
  return concatBytes(parts);
}
