import { getDb } from '@/lib/db/client.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf } from '@/lib/auth/access.ts';
import { requireJobSlots } from '@/lib/auth/quota.ts';
import { startCausalRank } from '@/lib/causal/causal-rank.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { respond } from '@/lib/http/respond.ts';
import { analysisCreatedSchema, causalRankBodySchema } from '@/lib/http/schemas/causal.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** {layer, quantity?, target, start?, end?} -> 201 {analysisId, jobId}: the ranking runs on the worker. */
export const POST = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const body = causalRankBodySchema.parse(await readJsonBody(req));
  const db = await getDb();
  const ownerId = ownerIdOf(actorOf(req));
  await requireJobSlots(db, { ownerId });
  return respond(analysisCreatedSchema, await startCausalRank(db, id, body, { ownerId }), { status: 201 });
});
