import { getDb } from '@/lib/db/client.ts';
import { createCorpus, createSequenceCorpus, createWordCorpus, listCorpora } from '@/lib/db/corpora.ts';
import { parseSequenceFile } from '@/lib/corpus/sequences.ts';
import { decodeCorpusUpload } from '@/lib/corpus/validate-upload.ts';
import { BadRequestError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf, visibleWhere } from '@/lib/auth/access.ts';
import { requireStorage } from '@/lib/auth/quota.ts';
import { readMultipart } from '@/lib/http/read-body.ts';
import { respond } from '@/lib/http/respond.ts';
import { corpusResponseSchema, listCorporaResponseSchema } from '@/lib/http/schemas/corpora.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request) => {
  return respond(listCorporaResponseSchema, { corpora: await listCorpora(await getDb(), visibleWhere(actorOf(_req), 'corpus')) });
});

/**
 * multipart/form-data: `file` (the text), optional `name`, optional `unit` (char, the default,
 * or word), optional `sequences` ("1": the file holds separate sequences, one per line or JSONL
 * {"text", "label"}; lib/corpus/sequences.ts).
 */
export const POST = apiRoute(async (req: Request) => {
  const { form, limit } = await readMultipart(req, 'send the corpus as multipart/form-data with a "file" field', 'file');
  const file = form.get('file');
  if (!(file instanceof File)) throw new BadRequestError('a "file" field with the corpus text is required', 'file');
  const nameField = form.get('name');
  if (nameField !== null && typeof nameField !== 'string') throw new BadRequestError('"name" must be text', 'name');
  const name = (nameField ?? '').trim() || file.name || 'corpus';
  if (name.length > 200) throw new BadRequestError('"name" is longer than 200 characters', 'name');
  const text = decodeCorpusUpload(new Uint8Array(await file.arrayBuffer()), limit);
  const unit = form.get('unit');
  if (unit !== null && unit !== 'char' && unit !== 'word') throw new BadRequestError('"unit" must be char or word', 'unit');
  const sequencesField = form.get('sequences');
  if (sequencesField !== null && sequencesField !== '0' && sequencesField !== '1') throw new BadRequestError('"sequences" must be 1 (the file holds one sequence per line, or JSONL) or 0', 'sequences');
  // unit=word: a word-level corpus (whitespace-separated words), for word-level models.
  const db = await getDb();
  const ownerId = ownerIdOf(actorOf(req));
  await requireStorage(db, { ownerId, bytes: text.length, what: 'this corpus' });
  const corpus = sequencesField === '1'
    ? await createSequenceCorpus(db, { name, sequences: parseSequenceFile(text), unit: unit === 'word' ? 'word' : 'char', ownerId })
    : unit === 'word' ? await createWordCorpus(db, { name, text, ownerId }) : await createCorpus(db, { name, text, ownerId });
  return respond(corpusResponseSchema, { corpus }, { status: 201 });
});
