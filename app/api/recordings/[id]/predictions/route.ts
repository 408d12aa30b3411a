import { getDb } from '@/lib/db/client.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { getRangeQuerySchema } from '@/lib/http/schemas.ts';
import { recordingPredictions } from '@/lib/record/recording-reads.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?start&end -> {top[t]: {chars[5], probs[5]}, nextProb[t]}. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const id = await parseId(ctx.params);
    const q = getRangeQuerySchema.parse(queryObject(req.url));
    return Response.json(await recordingPredictions(await getDb(), id, q.start, q.end));
  } catch (err) {
    return handleApiError(err);
  }
}
