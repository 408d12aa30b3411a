import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { parseId } from '@/lib/http/params.ts';
import { sampleResponseSchema, sampleRunBodySchema } from '@/lib/http/schemas/runs.ts';
import { sampleFromRun } from '@/lib/train/sample-checkpoint.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Body: {checkpointId?, length?, temperature?, prime?, seed?}. */
export const POST = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const body = sampleRunBodySchema.parse(await readJsonBody(req));
  return respond(sampleResponseSchema, await sampleFromRun(await getDb(), id, body));
});
