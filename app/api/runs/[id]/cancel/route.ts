import { getDb } from '@/lib/db/client.ts';
import { listJobs, requestCancel } from '@/lib/db/jobs.ts';
import { getRun } from '@/lib/db/runs.ts';
import { ConflictError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { jobResponseSchema } from '@/lib/http/schemas/jobs.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Cancels the run's training job (queued: at once; running: at its next step). */
export const POST = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const id = await parseId(ctx.params);
  await getRun(db, id);
  const active = (await listJobs(db, { runId: id })).find((j) => j.kind === 'train' && (j.status === 'queued' || j.status === 'running'));
  if (!active) throw new ConflictError(`run ${id} is not training`);
  return respond(jobResponseSchema, { job: await requestCancel(db, active.id) });
});
