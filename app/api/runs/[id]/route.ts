import { getDb } from '@/lib/db/client.ts';
import { listJobs } from '@/lib/db/jobs.ts';
import { listRecordings } from '@/lib/db/recordings.ts';
import { getRun, listCheckpoints } from '@/lib/db/runs.ts';
import { deleteRun } from '@/lib/db/delete-entities.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { visibleWhere } from '@/lib/auth/access.ts';
import { parseId } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { deletedResponseSchema } from '@/lib/http/schemas/common.ts';
import { runDetailResponseSchema } from '@/lib/http/schemas/runs.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const id = await parseId(ctx.params);
  const run = await getRun(db, id);
  const actor = actorOf(req);
  const [checkpoints, recordings, jobs] = await Promise.all([listCheckpoints(db, id), listRecordings(db, { runId: id }, visibleWhere(actor, 'recording')), listJobs(db, { runId: id }, visibleWhere(actor, 'job'))]);
  return respond(runDetailResponseSchema, { run, checkpoints, recordings, jobs });
});

/** Deletes the run, its checkpoints and recordings; 409 while a job is still working on it. */
export const DELETE = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  await deleteRun(await getDb(), id);
  return respond(deletedResponseSchema, { deleted: id });
});
