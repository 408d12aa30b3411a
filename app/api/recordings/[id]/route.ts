import { getDb } from '@/lib/db/client.ts';
import { listJobs } from '@/lib/db/jobs.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { deleteRecording } from '@/lib/db/delete-entities.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { visibleWhere } from '@/lib/auth/access.ts';
import { parseId } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { deletedResponseSchema } from '@/lib/http/schemas/common.ts';
import { recordingResponseSchema } from '@/lib/http/schemas/recordings.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const id = await parseId(ctx.params);
  const recording = await getRecording(db, id);
  const job = (await listJobs(db, { recordingId: id, kind: 'record' }, visibleWhere(actorOf(req), 'job')))[0] ?? null;
  return respond(recordingResponseSchema, { recording, job });
});

/** Deletes the recording, its states, index, statistics and saliency; 409 while a job is still working on it. */
export const DELETE = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  await deleteRecording(await getDb(), id);
  return respond(deletedResponseSchema, { deleted: id });
});
