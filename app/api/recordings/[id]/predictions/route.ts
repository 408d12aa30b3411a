import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { getRangeQuerySchema, predictionsResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { recordingPredictions } from '@/lib/record/recording-reads.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?start&end -> {top[t]: {chars[5], probs[5]}, nextProb[t]}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = getRangeQuerySchema.parse(queryObject(req.url));
  return respond(predictionsResponseSchema, await recordingPredictions(await getDb(), id, q.start, q.end));
});
