import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { labResults } from '@/lib/train/memory-lab.ts';
import { respond } from '@/lib/http/respond.ts';
import { labResultsResponseSchema } from '@/lib/http/schemas/labs.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The lab's grid: each run's status and, once trained, its task accuracy. */
export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  return respond(labResultsResponseSchema, await labResults(await getDb(), await parseId(ctx.params)));
});
