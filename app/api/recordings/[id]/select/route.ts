import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { selectQuerySchema, selectResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { selectInRecording } from '@/lib/search/search-service.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?layer&quantity&start&end&threshold[&offBefore=1][&offAfter=0] -> {cells, note?}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = selectQuerySchema.parse(queryObject(req.url));
  return respond(selectResponseSchema, await selectInRecording(await getDb(), id, q));
});
