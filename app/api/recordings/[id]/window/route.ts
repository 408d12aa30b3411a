import { getDb } from '@/lib/db/client.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { getWindowQuerySchema } from '@/lib/http/schemas.ts';
import { recordingWindow } from '@/lib/record/recording-reads.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?layer&quantity&start&end[&cells=1,2,3] -> {start, end, cells, values[cell][t]}. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const id = await parseId(ctx.params);
    const q = getWindowQuerySchema.parse(queryObject(req.url));
    return Response.json(await recordingWindow(await getDb(), id, q));
  } catch (err) {
    return handleApiError(err);
  }
}
