import { z } from 'zod';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { recordingSaliencyAt } from '@/lib/saliency/recording-saliency.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const saliencyQuerySchema = z
  .object({
    pos: z.coerce.number().int(),
    window: z.coerce.number().int().optional(),
    target: z.string().min(1).optional(),
  })
  .strict();

/**
 * ?pos[&window][&target] -> {pos, window, target, targetIsNext, targetProb, checkpointId, step, stored,
 * inputs: [{pos, char, grad, gradXInput}]}: the saliency of the prediction after position pos.
 */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = saliencyQuerySchema.parse(queryObject(req.url));
  return Response.json(await recordingSaliencyAt(await getDb(), id, { pos: q.pos, ...(q.window !== undefined ? { window: q.window } : {}), ...(q.target !== undefined ? { target: q.target } : {}) }));
});
