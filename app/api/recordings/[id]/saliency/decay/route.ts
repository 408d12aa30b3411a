import { z } from 'zod';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { recordingSaliencyDecay } from '@/lib/saliency/recording-saliency.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const decayQuerySchema = z
  .object({
    window: z.coerce.number().int().optional(),
    samples: z.coerce.number().int().optional(),
  })
  .strict();

/** ?[window][&samples] -> {window, samples, meanGrad[d], meanAbsGradXInput[d], checkpointId, step, stored}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = decayQuerySchema.parse(queryObject(req.url));
  return Response.json(await recordingSaliencyDecay(await getDb(), id, { ...(q.window !== undefined ? { window: q.window } : {}), ...(q.samples !== undefined ? { samples: q.samples } : {}) }));
});
