import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { jacobianQuerySchema, jacobianResponseSchema } from '@/lib/http/schemas/causal.ts';
import { offThread } from '@/lib/server/off-thread.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?checkpointId&layer&start&length -> {radius per position, spectra at its largest and smallest}. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = jacobianQuerySchema.parse(queryObject(req.url));
  return respond(jacobianResponseSchema, await offThread('jacobian', { runId: id, q }, { signal: req.signal }));
});
