import { getDb } from '@/lib/db/client.ts';
import { listJobs } from '@/lib/db/jobs.ts';
import { listRecordings } from '@/lib/db/recordings.ts';
import { getRun, listCheckpoints } from '@/lib/db/runs.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId } from '@/lib/http/params.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const id = await parseId(ctx.params);
    const run = await getRun(db, id);
    const [checkpoints, recordings, jobs] = await Promise.all([listCheckpoints(db, id), listRecordings(db, { runId: id }), listJobs(db, { runId: id })]);
    return Response.json({ run, checkpoints, recordings, jobs });
  } catch (err) {
    return handleApiError(err);
  }
}
