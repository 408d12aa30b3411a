import { getDb } from '@/lib/db/client.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { getRangeQuerySchema, textResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { recordingText } from '@/lib/record/recording-reads.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?start&end -> {start, end, chars[]} (one entry per character, clamped to the recording). */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const rec = await getRecording(db, await parseId(ctx.params));
  const q = getRangeQuerySchema.parse(queryObject(req.url));
  return respond(textResponseSchema, await recordingText(db, rec, q.start, q.end));
});
