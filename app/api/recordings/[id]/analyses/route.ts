import { getDb } from '@/lib/db/client.ts';
import { listAnalyses } from '@/lib/db/analyses.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { listAnalysesResponseSchema } from '@/lib/http/schemas/causal.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const db = await getDb();
  await getRecording(db, id);
  return respond(listAnalysesResponseSchema, { analyses: await listAnalyses(db, id) });
});
