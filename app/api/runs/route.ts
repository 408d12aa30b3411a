import { getDb } from '@/lib/db/client.ts';
import { listRuns } from '@/lib/db/runs.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { createRunBodySchema } from '@/lib/http/schemas/runs.ts';
import { startTrainingRun } from '@/lib/train/start-run.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request) => {
  return Response.json({ runs: await listRuns(await getDb()) });
});

/** Creates a run and queues its training; the server's worker trains it in the background. */
export const POST = apiRoute(async (req: Request) => {
  const body = createRunBodySchema.parse(await readJsonBody(req));
  const created = await startTrainingRun(await getDb(), {
    corpusId: body.corpusId,
    config: body.config,
    ...(body.name !== undefined ? { name: body.name } : {}),
  });
  return Response.json(created, { status: 201 });
});
