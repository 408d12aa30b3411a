import { getDb } from '@/lib/db/client.ts';
import { getCorpusSummary } from '@/lib/db/corpora.ts';
import { deleteCorpus } from '@/lib/db/delete-entities.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { deletedResponseSchema } from '@/lib/http/schemas/common.ts';
import { corpusResponseSchema } from '@/lib/http/schemas/corpora.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  return respond(corpusResponseSchema, { corpus: await getCorpusSummary(await getDb(), await parseId(ctx.params)) });
});

/** Deletes the corpus, its runs, recordings and label tracks; 409 while a job is still working on it. */
export const DELETE = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  await deleteCorpus(await getDb(), id);
  return respond(deletedResponseSchema, { deleted: id });
});
