import { cellsQuerySchema, cellsResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { offThread } from '@/lib/server/off-thread.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?feature[&regex][&limit] -> {feature, measure, coverage, cells: [{layer, quantity, index, score, threshold?, side?, precision?, recall?}]}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = cellsQuerySchema.parse(queryObject(req.url));
  // Every cell's column against the feature (a second at 1M steps): on a compute thread.
  return respond(cellsResponseSchema, await offThread('rankCells', { recordingId: id, q: { feature: q.feature, limit: q.limit, ...(q.regex ? { regex: q.regex } : {}) } }, { signal: req.signal }));
});
