import { getDb } from '@/lib/db/client.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { searchTextQuerySchema, searchTextResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { searchRecordingText } from '@/lib/record/recording-reads.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?q=text&from=offset -> {offset: number | null}: the next occurrence, wrapping around. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const rec = await getRecording(db, await parseId(ctx.params));
  const q = searchTextQuerySchema.parse(queryObject(req.url));
  return respond(searchTextResponseSchema, { offset: await searchRecordingText(db, rec, q.q, q.from) });
});
