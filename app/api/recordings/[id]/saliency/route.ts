import { saliencyQuerySchema, saliencyResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { offThread } from '@/lib/server/off-thread.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * ?pos[&window][&target] -> {pos, window, target, targetIsNext, targetProb, checkpointId, step, stored,
 * inputs: [{pos, char, grad, gradXInput}]}: the saliency of the prediction after position pos.
 */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = saliencyQuerySchema.parse(queryObject(req.url));
  // A backward pass through the model: on a compute thread, never the web thread.
  return respond(saliencyResponseSchema, await offThread('saliencyAt', { recordingId: id, q: { pos: q.pos, ...(q.window !== undefined ? { window: q.window } : {}), ...(q.target !== undefined ? { target: q.target } : {}) } }, { signal: req.signal }));
});
