import type { Db } from '../db/client.ts';
import { readFileSync, statSync } from 'node:fs';
import { importLstmvisProject } from '../import/lstmvis-project.ts';
import { folderProject, memoryProject } from '../import/project-files.ts';
import { unzipProject } from '../import/unzip-project.ts';
import { parseFlags, UsageError } from './args.ts';

export const IMPORT_LSTMVIS_USAGE = `  cellscope import-lstmvis DIR|ZIP [--name N] [--json]
                  an LSTMVis project (lstm.yml, HDF5 states and tokens, .dict files) as a corpus and a recording
`;

/** `cellscope import-lstmvis DIR` (lib/import/lstmvis-project.ts). */
export async function importLstmvisCommand(db: Db, argv: string[]): Promise<void> {
  const { values, positionals } = parseFlags(argv, { name: { type: 'string' }, json: { type: 'boolean' } });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new UsageError('import-lstmvis takes exactly one DIR or ZIP (the project folder holding lstm.yml, or a zip of it)');
  // A zipped project is unpacked in memory (local zips may unpack to 2 GB); a folder is read in place.
  const project = dir.toLowerCase().endsWith('.zip') ? memoryProject(unzipProject(readFileSync(dir), { maxBytes: 2 * 1024 ** 3 }), statSync(dir).size) : folderProject(dir);
  const r = await importLstmvisProject(db, project, typeof values.name === 'string' ? { name: values.name } : {});
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const lines = [
    `recording ${r.recordingId}: ${r.timesteps.toLocaleString('en-US')} ${r.unit === 'word' ? 'words' : 'characters'}, ${r.layers} layer${r.layers > 1 ? 's' : ''} × ${r.hidden} cells (${r.quantities.join(', ')}) · corpus ${r.corpusId} · run ${r.runId}`,
    ...(r.labelTracks.length ? [`annotation tracks: ${r.labelTracks.join(', ')}`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
