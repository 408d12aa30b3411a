import { createWriteStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db } from '../db/client.ts';
import { getRecording } from '../db/recordings.ts';
import { exportHdf5 } from '../export/hdf5-export.ts';
import { exportLstmvisProject } from '../export/lstmvis-export.ts';
import { CLASSES_QUANTITY, EXPORT_FORMATS, exportStates, type StatesExport } from '../export/states-export.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const EXPORT_USAGE = `  cellscope export --recording R --layer N --quantity h|c|... [--start S --end E | --sequence K] --format npy|csv|json --out FILE [--json]
                  a recording's states (all of it, a range, or the K-th sequence of a corpus of
                  sequences, 0-based): .npy [timesteps][cells] float32 of any size, CSV, or JSON
                  {layer, quantity, start, end, data} (up to 50M values); --quantity classes (no
                  --layer): a classifier's class probabilities after each step, [timesteps][classes]
  cellscope export --recording R --all --out DIR [--json]
                  the whole recording as .npy, one file per layer and quantity (DIR/L0-h.npy, ...),
                  with DIR/manifest.json naming each file's layer, quantity and shape
  cellscope export --recording R --format h5 --out FILE [--json]
                  the whole recording as one HDF5 file: /layer<L>/<quantity> [timesteps][cells] float32,
                  /tokens (indices into /vocab), /vocab, and the recording's range and ids as attributes
  cellscope export --recording R --format lstmvis --out DIR [--json]
                  the whole recording as an LSTMVis project: lstm.yml, states.h5 (c and h of every
                  layer), train.h5 (token ids) and words.dict, as LSTMVis itself reads them
`;

/** Writes an export to a file block by block (bounded memory whatever its size); answers its bytes. */
async function writeExport(file: StatesExport, out: string): Promise<number> {
  let bytes = 0;
  const counted = Readable.from((async function* () {
    for await (const b of file.blocks) {
      bytes += b.length;
      yield b;
    }
  })());
  await pipeline(counted, createWriteStream(out));
  return bytes;
}

/** `cellscope export`: states of a recording to a file, or all of them to a folder (lib/export/states-export.ts). */
export async function exportCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    recording: { type: 'string' }, layer: { type: 'string' }, quantity: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
    format: { type: 'string' }, out: { type: 'string' }, all: { type: 'boolean' }, json: { type: 'boolean' }, sequence: { type: 'string' },
  });
  const sequence = intFlag(values, 'sequence', { min: 0 });
  if (sequence !== undefined && (values.all === true || values.format === 'h5' || values.format === 'lstmvis')) throw new UsageError('--sequence exports one layer and quantity of one sequence: give --layer and --quantity, not --all or a whole-recording format');
  if (sequence !== undefined && (values.start !== undefined || values.end !== undefined)) throw new UsageError('give --sequence K or --start and --end, not both');
  const recordingId = intFlag(values, 'recording', { min: 1, required: true }) as number;
  const start = intFlag(values, 'start', { min: 0 });
  const end = intFlag(values, 'end', { min: 1 });
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError(values.all === true ? '--out DIR is required' : '--out FILE is required');
  const out = values.out;
  if (values.format === 'h5') {
    if (values.all === true || values.layer !== undefined || values.quantity !== undefined || start !== undefined || end !== undefined) throw new UsageError('--format h5 exports the whole recording, every layer and quantity: leave out --all, --layer, --quantity, --start and --end');
    const written = await exportHdf5(db, recordingId, out);
    process.stdout.write(values.json === true ? `${JSON.stringify(written)}\n` : `wrote ${written.bytes} bytes (${written.datasets.length} datasets) to ${written.file}\n`);
    return;
  }
  if (values.format === 'lstmvis') {
    if (values.all === true || values.layer !== undefined || values.quantity !== undefined || start !== undefined || end !== undefined) throw new UsageError('--format lstmvis exports the whole recording, every layer: leave out --all, --layer, --quantity, --start and --end');
    if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file; an LSTMVis project is a folder`);
    const project = await exportLstmvisProject(db, recordingId, out);
    process.stdout.write(values.json === true ? `${JSON.stringify(project)}\n` : `wrote an LSTMVis project (${project.files.join(', ')}) to ${project.dir}\n`);
    return;
  }
  if (values.all === true) {
    if (values.layer !== undefined || values.quantity !== undefined || start !== undefined || end !== undefined) throw new UsageError('--all exports every layer and quantity of the whole recording: leave out --layer, --quantity, --start and --end');
    if (values.format !== undefined && values.format !== 'npy') throw new UsageError('--all writes .npy files');
    if (existsSync(out) && !statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file; --all writes a folder`);
    mkdirSync(out, { recursive: true });
    const rec = await getRecording(db, recordingId);
    const files: { file: string; layer: number; quantity: string; shape: [number, number]; bytes: number }[] = [];
    for (const { index: layer, units, quantities } of rec.stack) {
      for (const quantity of quantities) {
        const name = `L${layer}-${quantity}.npy`;
        const bytes = await writeExport(await exportStates(db, recordingId, { layer, quantity, format: 'npy' }), join(out, name));
        files.push({ file: name, layer, quantity, shape: [rec.end - rec.start, units], bytes });
      }
    }
    const manifest = { recording: rec.id, start: rec.start, end: rec.end, unit: rec.unit, dtype: 'float32', files };
    writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const total = files.reduce((a, f) => a + f.bytes, 0);
    process.stdout.write(values.json === true ? `${JSON.stringify({ out, bytes: total, files: files.map((f) => f.file) })}\n` : `wrote ${files.length} .npy files (${total} bytes) and manifest.json to ${out}\n`);
    return;
  }
  if (typeof values.quantity !== 'string') throw new UsageError('--quantity is required (h, c, a gate the layer records, or classes for a classifier)');
  // A classifier's class probabilities belong to no layer.
  const layer = intFlag(values, 'layer', { min: 0, required: values.quantity !== CLASSES_QUANTITY }) ?? 0;
  const format = typeof values.format === 'string' ? values.format : 'npy';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (or h5 or lstmvis, for a whole recording)`);
  const file = await exportStates(db, recordingId, { layer, quantity: values.quantity, start, end, sequence, format });
  const bytes = await writeExport(file, out);
  const rec = await getRecording(db, recordingId);
  const summary = { out, bytes, format, timesteps: file.timesteps ?? (end ?? rec.end) - (start ?? rec.start) };
  process.stdout.write(values.json === true ? `${JSON.stringify(summary)}\n` : `wrote ${bytes} bytes to ${out}\n`);
}
