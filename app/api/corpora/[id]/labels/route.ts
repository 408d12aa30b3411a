import { getDb } from '@/lib/db/client.ts';
import { addLabelTrack, listLabelTracks } from '@/lib/db/corpus-labels.ts';
import { addLabelTrackBodySchema } from '@/lib/http/schemas/corpora.ts';
import { maxUploadBytes } from '@/lib/corpus/validate-upload.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { parseId } from '@/lib/http/params.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The corpus's uploaded label tracks: [{id, name, labels}]. */
export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  return Response.json({ tracks: await listLabelTracks(await getDb(), id) });
});

/** {name, spans: [{start, end, label}]} -> the stored track (lib/corpus/label-track.ts). */
export const POST = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  // A track over a long corpus is a large body: it may be as large as an upload.
  const upload = addLabelTrackBodySchema.parse(await readJsonBody(req, { limit: maxUploadBytes() }));
  return Response.json(await addLabelTrack(await getDb(), id, upload), { status: 201 });
});
