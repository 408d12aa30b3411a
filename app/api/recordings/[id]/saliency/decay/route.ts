import { z } from 'zod';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { saliencySourceOfRecording } from '@/lib/saliency/saliency-source.ts';
import { cachedSaliencyDecay } from '@/lib/saliency/saliency.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const decayQuerySchema = z
  .object({
    window: z.coerce.number().int().optional(),
    samples: z.coerce.number().int().optional(),
  })
  .strict();

/** ?[window][&samples] -> {window, samples, meanGrad[d], meanAbsGradXInput[d], checkpointId, step}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = decayQuerySchema.parse(queryObject(req.url));
  const src = await saliencySourceOfRecording(await getDb(), id);
  return Response.json(cachedSaliencyDecay(src, { ...(q.window !== undefined ? { window: q.window } : {}), ...(q.samples !== undefined ? { samples: q.samples } : {}) }));
});
