import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { matchQuerySchema, matchResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { matchInRecording } from '@/lib/search/search-service.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { annotationTrackFor } from '@/lib/search/annotation-access.ts';
import { offThread } from '@/lib/server/off-thread.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * ?layer&quantity&start&end&threshold[&cells][&offBefore][&offAfter][&limit][&offset]
 * [&exactLength | &minLength&maxLength][&strips=1] -> {cells, note?, matches[], candidates, tookMs}.
 */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = matchQuerySchema.parse(queryObject(req.url));
  const { cells, exactLength, minLength, maxLength, ...rest } = q;
  const db = await getDb();
  const track = await annotationTrackFor(db, { actor: actorOf(req), recordingId: id, track: q.track, strips: q.strips ?? false });
  const query = {
    ...rest,
    ...(track !== undefined ? { track } : {}),
    ...(cells ? { cells } : {}),
    ...(exactLength !== undefined ? { exactLength } : {}),
    ...(minLength !== undefined ? { minLength } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
  };
  // A threshold match reads the index in milliseconds, here (and its cache). A soft match scans
  // every window (49 s on a large recording) and strips decode states: those go to a compute thread.
  if (q.mode === 'soft' || q.strips) return respond(matchResponseSchema, await offThread('match', { recordingId: id, q: query }, { signal: req.signal }));
  return respond(matchResponseSchema, await matchInRecording(db, id, query));
});
