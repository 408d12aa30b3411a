import { getDb } from '@/lib/db/client.ts';
import { createCorpus, createWordCorpus, listCorpora } from '@/lib/db/corpora.ts';
import { CorpusValidationError, decodeCorpusUpload, maxUploadBytes } from '@/lib/corpus/validate-upload.ts';
import { BadRequestError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request) => {
  return Response.json({ corpora: await listCorpora(await getDb()) });
});

/** multipart/form-data: `file` (the text), optional `name`, optional `unit` (char, the default, or word). */
export const POST = apiRoute(async (req: Request) => {
  const limit = maxUploadBytes();
  const declared = Number(req.headers.get('content-length') ?? '0');
  // Refuse oversized uploads before reading them (the multipart envelope adds a little).
  if (declared > limit + 64 * 1024) {
    throw new CorpusValidationError(`upload is ${(declared / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB upload limit`);
  }
  if (!(req.headers.get('content-type') ?? '').includes('multipart/form-data')) {
    throw new BadRequestError('send the corpus as multipart/form-data with a "file" field', 'file');
  }
  let form: FormData;
  try {
    form = await req.formData();
  } catch {
    throw new BadRequestError('could not read the multipart body', 'file');
  }
  const file = form.get('file');
  if (!(file instanceof File)) throw new BadRequestError('a "file" field with the corpus text is required', 'file');
  const nameField = form.get('name');
  if (nameField !== null && typeof nameField !== 'string') throw new BadRequestError('"name" must be text', 'name');
  const name = (nameField ?? '').trim() || file.name || 'corpus';
  if (name.length > 200) throw new BadRequestError('"name" is longer than 200 characters', 'name');
  if (file.size > limit) throw new CorpusValidationError(`file is ${(file.size / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB upload limit`);
  const text = decodeCorpusUpload(new Uint8Array(await file.arrayBuffer()), limit);
  const unit = form.get('unit');
  if (unit !== null && unit !== 'char' && unit !== 'word') throw new BadRequestError('"unit" must be char or word', 'unit');
  // unit=word: a word-level corpus (whitespace-separated words), for word-level models.
  const corpus = unit === 'word' ? await createWordCorpus(await getDb(), { name, text }) : await createCorpus(await getDb(), { name, text });
  return Response.json({ corpus }, { status: 201 });
});
