import { BadRequestError, PayloadTooLargeError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readMultipart } from '@/lib/http/read-body.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf, requireAccess } from '@/lib/auth/access.ts';
import { getDb } from '@/lib/db/client.ts';
import { offThread } from '@/lib/server/off-thread.ts';
import { respond } from '@/lib/http/respond.ts';
import { modelImportResponseSchema } from '@/lib/http/schemas/imports.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Upload a trained TensorFlow.js LayersModel (lib/import/). multipart/form-data: `files` (the
 * model.json and its weight shards, as `model.save` writes them; several files under one name),
 * `corpusId`, optional `vocab` (a JSON character → index map) and `name`.
 * 201 -> {runId, checkpointId, summary, warnings, valBpc, trainBpc}; nothing is stored on a 4xx.
 */
export const POST = apiRoute(async (req: Request) => {
  const { form, files, limit } = await readMultipart(req, 'send the model as multipart/form-data: "files" (model.json and its .bin files), "corpusId", optional "vocab"');
  const modelFile = files.find((f) => f.name === 'model.json' || f.name.endsWith('/model.json')) ?? files.find((f) => f.name.endsWith('.json'));
  if (!modelFile) throw new BadRequestError('the upload needs a model.json among "files"', 'files');
  const total = files.reduce((a, f) => a + f.size, 0);
  if (total > limit) throw new PayloadTooLargeError(`the model's files are ${(total / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB upload limit`);
  const weights = new Map<string, Uint8Array>();
  for (const f of files) if (f !== modelFile) weights.set(f.name.split('/').pop() ?? f.name, new Uint8Array(await f.arrayBuffer()));
  const corpusRaw = form.get('corpusId');
  const corpusId = typeof corpusRaw === 'string' && /^\d+$/.test(corpusRaw.trim()) ? Number(corpusRaw) : NaN;
  if (!Number.isInteger(corpusId) || corpusId < 1) throw new BadRequestError('"corpusId" must be the id of the corpus the model reads', 'corpusId');
  const vocabField = form.get('vocab');
  const vocab = vocabField instanceof File ? await vocabField.text() : typeof vocabField === 'string' && vocabField.trim() !== '' ? vocabField : undefined;
  const nameField = form.get('name');
  if (nameField !== null && typeof nameField !== 'string') throw new BadRequestError('"name" must be text', 'name');
  const actor = actorOf(req);
  await requireAccess(await getDb(), actor, { kind: 'corpus', id: corpusId, level: 'read' });
  // Building the model and measuring it on the corpus takes seconds: on a compute thread.
  const result = await offThread('importModel', {
    modelJson: await modelFile.text(), files: weights, corpusId, ownerId: ownerIdOf(actor),
    ...(vocab !== undefined ? { vocab } : {}), ...(nameField ? { name: nameField } : {}),
  });
  return respond(modelImportResponseSchema, result, { status: 201 });
});
