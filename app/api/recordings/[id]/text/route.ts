import { getDb } from '@/lib/db/client.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { getRangeQuerySchema } from '@/lib/http/schemas.ts';
import { recordingText } from '@/lib/record/recording-reads.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?start&end -> {start, end, chars[]} (one entry per character, clamped to the recording). */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const db = await getDb();
    const rec = await getRecording(db, await parseId(ctx.params));
    const q = getRangeQuerySchema.parse(queryObject(req.url));
    return Response.json(await recordingText(db, rec, q.start, q.end));
  } catch (err) {
    return handleApiError(err);
  }
}
