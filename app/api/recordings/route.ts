import { getDb } from '@/lib/db/client.ts';
import { listRecordings } from '@/lib/db/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { createRecordingBodySchema, createRecordingResponseSchema, listRecordingsResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf, requireAccess, visibleWhere } from '@/lib/auth/access.ts';
import { startRecording } from '@/lib/record/start-recording.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request) => {
  return respond(listRecordingsResponseSchema, { recordings: await listRecordings(await getDb(), {}, visibleWhere(actorOf(_req), 'recording')) });
});

/** Queues a recording of a run's checkpoint over a corpus range (defaults: latest, own corpus, all). */
export const POST = apiRoute(async (req: Request) => {
  const body = createRecordingBodySchema.parse(await readJsonBody(req));
  const db = await getDb();
  const actor = actorOf(req);
  // Recording needs the model and the text: both readable (a recording is its asker's own).
  await requireAccess(db, actor, { kind: 'run', id: body.runId, level: 'read' });
  if (body.corpusId !== undefined) await requireAccess(db, actor, { kind: 'corpus', id: body.corpusId, level: 'read' });
  const created = await startRecording(db, {
    ownerId: ownerIdOf(actor),
    runId: body.runId,
    ...(body.checkpointId !== undefined ? { checkpointId: body.checkpointId } : {}),
    ...(body.corpusId !== undefined ? { corpusId: body.corpusId } : {}),
    ...(body.start !== undefined ? { start: body.start } : {}),
    ...(body.end !== undefined ? { end: body.end } : {}),
    ...(body.gates !== undefined ? { gates: body.gates } : {}),
    ...(body.saliency !== undefined ? { saliency: { start: body.saliency.start, end: body.saliency.end, ...(body.saliency.window !== undefined ? { window: body.saliency.window } : {}) } } : {}),
  });
  return respond(createRecordingResponseSchema, created, { status: 201 });
});
