import type { Db } from '../db/client.ts';
import { getRecording } from '../db/recordings.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { recordingText } from '../record/recording-reads.ts';
import { readStateRows } from '../record/window.ts';
import { encodeNpy } from './npy.ts';

/**
 * A recording's states over a range, as a file: .npy ([timesteps][cells] float32, numpy.load
 * reads it), CSV (position, character, then one column per cell) or JSON ({layer, quantity,
 * start, end, data: [[cell values] per timestep]}). Values are the recorded float16 ones.
 */
export const EXPORT_FORMATS = ['npy', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Most values (timesteps × cells) one export holds. */
export const MAX_EXPORT_VALUES = 50_000_000;

export interface StatesExport {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  filename: string;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function exportStates(db: Db, recordingId: number, q: { layer: number; quantity: string; start: number; end: number; format: string }): Promise<StatesExport> {
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: export a completed recording`);
  if (!(EXPORT_FORMATS as readonly string[]).includes(q.format)) throw new BadRequestError(`format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(q.format)}`, 'format');
  if (!Number.isInteger(q.layer) || q.layer < 0 || q.layer >= rec.layers) throw new BadRequestError(`layer must be from 0 to ${rec.layers - 1}, got ${q.layer}`, 'layer');
  if (!rec.quantities.includes(q.quantity)) throw new BadRequestError(`quantity must be one of ${rec.quantities.join(', ')}, got ${JSON.stringify(q.quantity)}`, 'quantity');
  if (!Number.isInteger(q.start) || !Number.isInteger(q.end) || q.start < rec.start || q.end > rec.end || q.start >= q.end) {
    throw new BadRequestError(`start..end must lie inside the recorded range ${rec.start}..${rec.end}, got ${q.start}..${q.end}`, 'start');
  }
  const T = q.end - q.start;
  const H = rec.hidden;
  if (T * H > MAX_EXPORT_VALUES) throw new BadRequestError(`${T} timesteps × ${H} cells is over the ${MAX_EXPORT_VALUES.toLocaleString('en-US')} values one export holds: export a shorter range`, 'end');
  const rows = await readStateRows(db.raw, rec, q.layer, q.quantity, q.start, q.end);
  const base = `recording${rec.id}-L${q.layer}-${q.quantity}-${q.start}-${q.end}`;
  if (q.format === 'npy') return { bytes: encodeNpy(rows.values, [T, H]), contentType: 'application/octet-stream', filename: `${base}.npy` };
  if (q.format === 'json') {
    const data = Array.from({ length: T }, (_, t) => Array.from(rows.values.subarray(t * H, (t + 1) * H)));
    return { bytes: new TextEncoder().encode(JSON.stringify({ layer: q.layer, quantity: q.quantity, start: q.start, end: q.end, data })), contentType: 'application/json', filename: `${base}.json` };
  }
  const text = await recordingText(db, rec, q.start, q.end);
  const lines = [['position', 'char', ...Array.from({ length: H }, (_, c) => `${q.quantity}${c}`)].join(',')];
  for (let t = 0; t < T; t++) {
    lines.push([String(q.start + t), csvField(text.chars[t] ?? ''), ...Array.from(rows.values.subarray(t * H, (t + 1) * H), (v) => String(v))].join(','));
  }
  return { bytes: new TextEncoder().encode(`${lines.join('\n')}\n`), contentType: 'text/csv; charset=utf-8', filename: `${base}.csv` };
}
