import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { respond } from '@/lib/http/respond.ts';
import { interveneBodySchema, interveneResponseSchema } from '@/lib/http/schemas/causal.ts';
import { offThread } from '@/lib/server/off-thread.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** {layer, quantity, cells, set, where?, start?, end?, detail?} -> {deltaBpc, perClass, topPositions, deltaLogp?, tops?...}. */
export const POST = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const { detail, ...q } = interveneBodySchema.parse(await readJsonBody(req));
  // The model run twice over the range: on a compute thread, dropped if the client goes away.
  return respond(interveneResponseSchema, await offThread('intervene', { recordingId: id, q, detail: detail === true }, { signal: req.signal }));
});
