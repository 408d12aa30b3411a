import { z } from 'zod';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { rankCells } from '@/lib/search/cell-finder.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const cellsQuerySchema = z
  .object({
    feature: z.string().min(1),
    regex: z.string().min(1).max(500).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(20),
  })
  .strict();

/** ?feature[&regex][&limit] -> {feature, measure, coverage, cells: [{layer, quantity, index, score, threshold?, side?, precision?, recall?}]}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = cellsQuerySchema.parse(queryObject(req.url));
  return Response.json(await rankCells(await getDb(), id, { feature: q.feature, limit: q.limit, ...(q.regex ? { regex: q.regex } : {}) }));
});
