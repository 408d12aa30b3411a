import { getDb } from '@/lib/db/client.ts';
import { getCorpusSummary } from '@/lib/db/corpora.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  return Response.json({ corpus: await getCorpusSummary(await getDb(), await parseId(ctx.params)) });
});
