import { getDb } from '@/lib/db/client.ts';
import { handleApiError, readJsonBody } from '@/lib/http/handle-api-error.ts';
import { parseId } from '@/lib/http/params.ts';
import { sampleFromRun, sampleRunBodySchema } from '@/lib/train/sample-checkpoint.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Body: {checkpointId?, length?, temperature?, prime?, seed?}. */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    const id = await parseId(ctx.params);
    const body = sampleRunBodySchema.parse(await readJsonBody(req));
    return Response.json(await sampleFromRun(await getDb(), id, body));
  } catch (err) {
    return handleApiError(err);
  }
}
