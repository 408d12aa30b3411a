import { BadRequestError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readMultipart } from '@/lib/http/read-body.ts';
import { memoryProject } from '@/lib/import/project-files.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf } from '@/lib/auth/access.ts';
import { offThread } from '@/lib/server/off-thread.ts';
import { respond } from '@/lib/http/respond.ts';
import { lstmvisImportResponseSchema } from '@/lib/http/schemas/imports.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Import an LSTMVis project (lib/import/lstmvis-project.ts). multipart/form-data: `files`, the
 * project folder's files (lstm.yml, .h5/.hdf5, .dict), each named by its path inside the folder,
 * or one .zip of the folder; optional `name`. The files stay in memory: nothing is written to
 * disk, and HDF5 reads only their bytes.
 * 201 -> {corpusId, runId, recordingId, unit, timesteps, layers, hidden, quantities, labelTracks, warnings}.
 */
export const POST = apiRoute(async (req: Request) => {
  const { form, files } = await readMultipart(req, 'send the project as multipart/form-data: "files" (lstm.yml, the .h5 and .dict files, or one .zip of the folder)');
  const nameField = form.get('name');
  const opts = { ...(typeof nameField === 'string' && nameField.trim() ? { name: nameField } : {}), ownerId: ownerIdOf(actorOf(req)) };
  const uploaded = files.reduce((a, f) => a + f.size, 0);
  const zip = files.length === 1 && files[0]?.name.toLowerCase().endsWith('.zip') ? files[0] : null;
  // Unpacking, reading HDF5 and indexing take seconds to minutes: on a compute thread.
  // Not cut off when the client leaves, and given an hour: a stopped import is removed whole.
  const limits = { timeoutMs: 60 * 60_000 };
  if (zip) return respond(lstmvisImportResponseSchema, await offThread('importLstmvis', { files: [], zip: new Uint8Array(await zip.arrayBuffer()), uploadedBytes: uploaded, opts }, limits), { status: 201 });
  const yml = files.find((f) => /(^|\/)lstm\.ya?ml$/.test(f.name));
  if (!yml) throw new BadRequestError('the upload needs the project\'s lstm.yml among "files" (or one .zip of the project)', 'files');
  // A folder upload names files "project/lstm.yml": the folder level is dropped.
  const prefix = yml.name.replace(/lstm\.ya?ml$/, '');
  const entries: [string, Uint8Array][] = [];
  for (const f of files) entries.push([f.name.startsWith(prefix) ? f.name.slice(prefix.length) : f.name, new Uint8Array(await f.arrayBuffer())]);
  memoryProject(entries, uploaded); // names checked here, before the thread is asked
  return respond(lstmvisImportResponseSchema, await offThread('importLstmvis', { files: entries, zip: null, uploadedBytes: uploaded, opts }, limits), { status: 201 });
});
