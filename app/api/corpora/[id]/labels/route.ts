import { getDb } from '@/lib/db/client.ts';
import { addLabelTrack, listLabelTracks } from '@/lib/db/corpus-labels.ts';
import { addLabelTrackBodySchema, labelTrackResponseSchema, listLabelTracksResponseSchema } from '@/lib/http/schemas/corpora.ts';
import { maxUploadBytes } from '@/lib/corpus/validate-upload.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf, visibleWhere } from '@/lib/auth/access.ts';
import { requireStorage } from '@/lib/auth/quota.ts';
import { getCorpusSummary } from '@/lib/db/corpora.ts';
import { parseId } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The corpus's uploaded label tracks: [{id, name, labels}]. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  return respond(listLabelTracksResponseSchema, { tracks: await listLabelTracks(await getDb(), id, visibleWhere(actorOf(req), 'labels')) });
});

/** {name, spans: [{start, end, label}]} -> the stored track (lib/corpus/label-track.ts). */
export const POST = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  // A track over a long corpus is a large body: it may be as large as an upload.
  const upload = addLabelTrackBodySchema.parse(await readJsonBody(req, { limit: maxUploadBytes() }));
  const db = await getDb();
  const corpus = await getCorpusSummary(db, id);
  const ownerId = ownerIdOf(actorOf(req));
  await requireStorage(db, { ownerId, bytes: 2 * corpus.chars, what: 'this label track' });
  // Anyone who may read the corpus may label it: the track is theirs, private until they share it.
  return respond(labelTrackResponseSchema, await addLabelTrack(db, id, upload, ownerId), { status: 201 });
});
