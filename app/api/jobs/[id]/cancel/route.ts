import { getDb } from '@/lib/db/client.ts';
import { requestCancel } from '@/lib/db/jobs.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId } from '@/lib/http/params.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function POST(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    return Response.json({ job: await requestCancel(await getDb(), await parseId(ctx.params)) });
  } catch (err) {
    return handleApiError(err);
  }
}
