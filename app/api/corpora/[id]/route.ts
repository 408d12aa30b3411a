import { getDb } from '@/lib/db/client.ts';
import { getCorpusSummary } from '@/lib/db/corpora.ts';
import { handleApiError } from '@/lib/http/handle-api-error.ts';
import { parseId } from '@/lib/http/params.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  try {
    return Response.json({ corpus: await getCorpusSummary(await getDb(), await parseId(ctx.params)) });
  } catch (err) {
    return handleApiError(err);
  }
}
