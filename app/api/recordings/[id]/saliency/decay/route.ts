import { decayQuerySchema, decayResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { offThread } from '@/lib/server/off-thread.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?[window][&samples] -> {window, samples, meanGrad[d], meanAbsGradXInput[d], checkpointId, step, stored}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = decayQuerySchema.parse(queryObject(req.url));
  // Hundreds of backward passes (125 s on a large model): on a compute thread.
  return respond(decayResponseSchema, await offThread('saliencyDecay', { recordingId: id, q: { ...(q.window !== undefined ? { window: q.window } : {}), ...(q.samples !== undefined ? { samples: q.samples } : {}) } }, { signal: req.signal }));
});
