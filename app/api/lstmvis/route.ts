import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { getDb } from '@/lib/db/client.ts';
import { BadRequestError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readMultipart } from '@/lib/http/multipart.ts';
import { importLstmvisProject } from '@/lib/import/lstmvis-project.ts';
import { unzipProject } from '@/lib/import/unzip-project.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Import an LSTMVis project (lib/import/lstmvis-project.ts). multipart/form-data: `files`, the
 * project folder's files (lstm.yml, .h5/.hdf5, .dict), each named by its path inside the folder,
 * or one .zip of the folder;
 * optional `name`. 201 -> {corpusId, runId, recordingId, unit, timesteps, layers, hidden, quantities, labelTracks, warnings}.
 */
export const POST = apiRoute(async (req: Request) => {
  const { form, files } = await readMultipart(req, 'send the project as multipart/form-data: "files" (lstm.yml, the .h5 and .dict files, or one .zip of the folder)');
  const nameField = form.get('name');
  const opts = typeof nameField === 'string' && nameField.trim() ? { name: nameField } : {};
  // A zip of the project folder.
  const zip = files.length === 1 && files[0]?.name.toLowerCase().endsWith('.zip') ? files[0] : null;
  if (zip) {
    const { root, dir } = unzipProject(new Uint8Array(await zip.arrayBuffer()));
    try {
      return Response.json(await importLstmvisProject(await getDb(), dir, opts), { status: 201 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  if (!files.some((f) => /(^|\/)lstm\.ya?ml$/.test(f.name))) throw new BadRequestError('the upload needs the project\'s lstm.yml among "files" (or one .zip of the project)', 'files');
  const dir = mkdtempSync(join(tmpdir(), 'cellscope-lstmvis-'));
  try {
    // A folder upload names files "project/lstm.yml": the folder level is dropped.
    const prefix = files.find((f) => /(^|\/)lstm\.ya?ml$/.test(f.name))?.name.replace(/lstm\.ya?ml$/, '') ?? '';
    for (const f of files) {
      const rel = normalize(f.name.startsWith(prefix) ? f.name.slice(prefix.length) : f.name);
      if (rel.startsWith('..') || rel.startsWith('/')) throw new BadRequestError(`file ${JSON.stringify(f.name)} lies outside the project folder`, 'files');
      const path = join(/*turbopackIgnore: true*/ dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, new Uint8Array(await f.arrayBuffer()));
    }
    const result = await importLstmvisProject(await getDb(), dir, opts);
    return Response.json(result, { status: 201 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
