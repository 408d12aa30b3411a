import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { labResults } from '@/lib/train/memory-lab.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The lab's grid: each run's status and, once trained, its task accuracy. */
export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  return Response.json(await labResults(await getDb(), await parseId(ctx.params)));
});
