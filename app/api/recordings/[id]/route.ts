import { getDb } from '@/lib/db/client.ts';
import { listJobs } from '@/lib/db/jobs.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId } from '@/lib/http/params.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const id = await parseId(ctx.params);
    const recording = await getRecording(db, id);
    const job = (await listJobs(db, { recordingId: id }))[0] ?? null;
    return Response.json({ recording, job });
  } catch (err) {
    return handleApiError(err);
  }
}
