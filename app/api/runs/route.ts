import { getDb } from '@/lib/db/client.ts';
import { listRuns } from '@/lib/db/runs.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { createRunBodySchema, createRunResponseSchema, listRunsResponseSchema } from '@/lib/http/schemas/runs.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf, requireAccess, visibleWhere } from '@/lib/auth/access.ts';
import { startTrainingRun } from '@/lib/train/start-run.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request) => {
  return respond(listRunsResponseSchema, { runs: await listRuns(await getDb(), visibleWhere(actorOf(_req), 'run')) });
});

/** Creates a run and queues its training; the server's worker trains it in the background. */
export const POST = apiRoute(async (req: Request) => {
  const body = createRunBodySchema.parse(await readJsonBody(req));
  const db = await getDb();
  const actor = actorOf(req);
  await requireAccess(db, actor, { kind: 'corpus', id: body.corpusId, level: 'read' });
  const created = await startTrainingRun(db, {
    ownerId: ownerIdOf(actor),
    corpusId: body.corpusId,
    config: body.config,
    ...(body.name !== undefined ? { name: body.name } : {}),
  });
  return respond(createRunResponseSchema, created, { status: 201 });
});
