import { z } from 'zod';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { saliencySourceOfRecording } from '@/lib/saliency/saliency-source.ts';
import { saliencyAt } from '@/lib/saliency/saliency.ts';

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
 * ?pos[&window][&target] -> {pos, window, target, targetIsNext, targetProb, checkpointId, step,
 * inputs: [{pos, char, grad, gradXInput}]}: the saliency of the prediction after position pos.
 */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = saliencyQuerySchema.parse(queryObject(req.url));
  const src = await saliencySourceOfRecording(await getDb(), id);
  return Response.json(saliencyAt(src, { pos: q.pos, ...(q.window !== undefined ? { window: q.window } : {}), ...(q.target !== undefined ? { target: q.target } : {}) }));
});
