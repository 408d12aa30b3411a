import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { flowQuerySchema, flowResponseSchema } from '@/lib/http/schemas/causal.ts';
import { offThread } from '@/lib/server/off-thread.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?checkpointId&layer&positions&distance -> {layers: [{layer, curves: [{quantity, mean, lo, hi}]}]}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = flowQuerySchema.parse(queryObject(req.url));
  return respond(flowResponseSchema, await offThread('gradientFlow', { runId: id, q }, { signal: req.signal }));
});
