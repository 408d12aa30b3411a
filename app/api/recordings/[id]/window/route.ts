import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { getWindowQuerySchema, windowResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { recordingWindow } from '@/lib/record/recording-reads.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?layer&quantity&start&end[&cells=1,2,3] -> {start, end, cells, values[cell][t]}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = getWindowQuerySchema.parse(queryObject(req.url));
  return respond(windowResponseSchema, await recordingWindow(await getDb(), id, q));
});
