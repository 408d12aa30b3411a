import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { fixedPointsQuerySchema, fixedPointsResponseSchema } from '@/lib/http/schemas/causal.ts';
import { offThread } from '@/lib/server/off-thread.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?checkpointId&input&starts -> {points: [{state, q, eigenvalues, stable, pc}], trajectory}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = fixedPointsQuerySchema.parse(queryObject(req.url));
  return respond(fixedPointsResponseSchema, await offThread('fixedPoints', { runId: id, q }, { signal: req.signal }));
});
