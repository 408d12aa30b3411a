import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { spectrumQuerySchema, spectrumResponseSchema } from '@/lib/http/schemas/causal.ts';
import { offThread } from '@/lib/server/off-thread.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?checkpointId&layer -> {layers: [{layer, matrix, eigenvalues, discs, spectralRadius}]} (a 512×512 eigenproblem takes seconds: off-thread). */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = spectrumQuerySchema.parse(queryObject(req.url));
  return respond(spectrumResponseSchema, await offThread('spectrum', { runId: id, q }, { signal: req.signal }));
});
