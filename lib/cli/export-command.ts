import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Db } from '../db/client.ts';
import { EXPORT_FORMATS, exportStates } from '../export/states-export.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const EXPORT_USAGE = `  cellscope export --recording R --layer N --quantity h|c|... --start S --end E --format npy|csv|json --out FILE [--json]
                  a recording's states over a range: .npy [timesteps][cells] float32, CSV, or JSON {layer, quantity, start, end, data}
`;

/** `cellscope export`: states of a recording to a file (lib/export/states-export.ts). */
export async function exportCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    recording: { type: 'string' }, layer: { type: 'string' }, quantity: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' },
    format: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' },
  });
  const recordingId = intFlag(values, 'recording', { min: 1, required: true }) as number;
  const layer = intFlag(values, 'layer', { min: 0, required: true }) as number;
  const start = intFlag(values, 'start', { min: 0, required: true }) as number;
  const end = intFlag(values, 'end', { min: 1, required: true }) as number;
  if (typeof values.quantity !== 'string') throw new UsageError('--quantity is required (h, c, or a gate the recording holds)');
  const format = typeof values.format === 'string' ? values.format : 'npy';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('--out FILE is required');
  const file = await exportStates(db, recordingId, { layer, quantity: values.quantity, start, end, format });
  // Written block by block, so an export of any size stays within bounded memory.
  let bytes = 0;
  const counted = Readable.from((async function* () {
    for await (const b of file.blocks) {
      bytes += b.length;
      yield b;
    }
  })());
  await pipeline(counted, createWriteStream(values.out));
  const summary = { out: values.out, bytes, format, timesteps: end - start };
  process.stdout.write(values.json === true ? `${JSON.stringify(summary)}\n` : `wrote ${bytes} bytes to ${values.out}\n`);
}
