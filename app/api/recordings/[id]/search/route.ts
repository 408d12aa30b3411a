import { getDb } from '@/lib/db/client.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { searchTextQuerySchema } from '@/lib/http/schemas.ts';
import { searchRecordingText } from '@/lib/record/recording-reads.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?q=text&from=offset -> {offset: number | null}: the next occurrence, wrapping around. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const rec = await getRecording(db, await parseId(ctx.params));
    const q = searchTextQuerySchema.parse(queryObject(req.url));
    return Response.json({ offset: await searchRecordingText(db, rec, q.q, q.from) });
  } catch (err) {
    return handleApiError(err);
  }
}
