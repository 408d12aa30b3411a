import { getDb } from '@/lib/db/client.ts';
import { getJob } from '@/lib/db/jobs.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { jobResponseSchema } from '@/lib/http/schemas/jobs.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  return respond(jobResponseSchema, { job: await getJob(await getDb(), await parseId(ctx.params)) });
});
