import { getDb } from '@/lib/db/client.ts';
import { listJobs } from '@/lib/db/jobs.ts';
import { listRecordings } from '@/lib/db/recordings.ts';
import { getRun, listCheckpoints } from '@/lib/db/runs.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const id = await parseId(ctx.params);
  const run = await getRun(db, id);
  const [checkpoints, recordings, jobs] = await Promise.all([listCheckpoints(db, id), listRecordings(db, { runId: id }), listJobs(db, { runId: id })]);
  return Response.json({ run, checkpoints, recordings, jobs });
});
