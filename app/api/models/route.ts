import { BadRequestError, PayloadTooLargeError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readMultipart } from '@/lib/http/read-body.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf, requireAccess } from '@/lib/auth/access.ts';
import { getDb } from '@/lib/db/client.ts';
import { offThread } from '@/lib/server/off-thread.ts';
import { MODEL_FILE } from '@/lib/import/model-files.ts';
import { respond } from '@/lib/http/respond.ts';
import { modelImportResponseSchema } from '@/lib/http/schemas/imports.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** A text field or a small file field as text (vocab, spec); undefined when absent or empty. */
async function textField(form: FormData, name: string): Promise<string | undefined> {
  const v = form.get(name);
  const text = v instanceof File ? await v.text() : typeof v === 'string' ? v : '';
  return text.trim() === '' ? undefined : text;
}

/**
 * Upload a model trained elsewhere (lib/import/). multipart/form-data: `files`, either a
 * TensorFlow.js LayersModel (model.json and its weight shards, as `model.save` writes them), one
 * ONNX graph (.onnx), or one PyTorch state_dict (.pt/.pth as torch.save writes it, or .safetensors) with an optional
 * `spec` (JSON: what the weights cannot tell, lib/import/torch/torch-to-char-model.ts);
 * `corpusId`, optional `vocab` (a JSON symbol → index map), `classes` (a classifier's class names,
 * a JSON list) and `name`.
 * 201 -> {runId, checkpointId, summary, warnings, valBpc, trainBpc}; nothing is stored on a 4xx.
 */
export const POST = apiRoute(async (req: Request) => {
  const { form, files, limit } = await readMultipart(req, 'send the model as multipart/form-data: "files" (model.json and its .bin files, or one .pt/.pth/.safetensors/.onnx/.keras/.h5 file), "corpusId", optional "vocab"');
  const total = files.reduce((a, f) => a + f.size, 0);
  if (total > limit) throw new PayloadTooLargeError(`the model's files are ${(total / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB upload limit`);
  const corpusRaw = form.get('corpusId');
  const corpusId = typeof corpusRaw === 'string' && /^\d+$/.test(corpusRaw.trim()) ? Number(corpusRaw) : NaN;
  if (!Number.isInteger(corpusId) || corpusId < 1) throw new BadRequestError('"corpusId" must be the id of the corpus the model reads', 'corpusId');
  const vocab = await textField(form, 'vocab');
  const classes = await textField(form, 'classes');
  const nameField = form.get('name');
  if (nameField !== null && typeof nameField !== 'string') throw new BadRequestError('"name" must be text', 'name');
  const actor = actorOf(req);
  await requireAccess(await getDb(), actor, { kind: 'corpus', id: corpusId, level: 'read' });
  const target = { corpusId, ownerId: ownerIdOf(actor), ...(vocab !== undefined ? { vocab } : {}), ...(classes !== undefined ? { classes } : {}), ...(nameField ? { name: nameField } : {}) };

  // Building the model and measuring it on the corpus takes seconds: on a compute thread.
  const single = files.filter((f) => MODEL_FILE.test(f.name));
  if (single.length > 0) {
    if (single.length > 1 || files.length > 1) throw new BadRequestError(`send one model file (.pt, .pth, .safetensors or .onnx) by itself, got ${files.map((f) => f.name).join(', ')}`, 'files');
    const file = single[0] as File;
    const spec = await textField(form, 'spec');
    const result = await offThread('importModelFile', { ...target, fileName: file.name.split('/').pop() ?? file.name, bytes: new Uint8Array(await file.arrayBuffer()), ...(spec !== undefined ? { spec } : {}) });
    return respond(modelImportResponseSchema, result, { status: 201 });
  }
  const modelFile = files.find((f) => f.name === 'model.json' || f.name.endsWith('/model.json')) ?? files.find((f) => f.name.endsWith('.json'));
  if (!modelFile) throw new BadRequestError('the upload needs a model.json among "files" (a TensorFlow.js model), or one .pt/.pth/.safetensors file (a PyTorch state_dict), .onnx file or Keras .keras/.h5', 'files');
  const weights = new Map<string, Uint8Array>();
  for (const f of files) if (f !== modelFile) weights.set(f.name.split('/').pop() ?? f.name, new Uint8Array(await f.arrayBuffer()));
  const result = await offThread('importModel', { ...target, modelJson: await modelFile.text(), files: weights });
  return respond(modelImportResponseSchema, result, { status: 201 });
});
