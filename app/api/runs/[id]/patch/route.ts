import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { respond } from '@/lib/http/respond.ts';
import { patchBodySchema, patchResponseSchema } from '@/lib/http/schemas/causal.ts';
import { offThread } from '@/lib/server/off-thread.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** {clean, corrupt, target, checkpointId?} -> {pClean, pCorrupt, patches: [{layer, quantity, p, restored}]}. */
export const POST = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const body = patchBodySchema.parse(await readJsonBody(req));
  return respond(patchResponseSchema, await offThread('patch', { runId: id, q: body }, { signal: req.signal }));
});
