import { getDb } from '@/lib/db/client.ts';
import { getAnalysis } from '@/lib/db/analyses.ts';
import { NotFoundError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { respond } from '@/lib/http/respond.ts';
import { analysisQuerySchema, analysisResponseSchema, causalRankingSchema } from '@/lib/http/schemas/causal.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?analysisId -> the analysis, with its result once done. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const { analysisId } = analysisQuerySchema.parse(queryObject(req.url));
  const analysis = await getAnalysis(await getDb(), analysisId);
  // The recording's access was checked; an analysis of another recording is not found here.
  if (analysis.recordingId !== id) throw new NotFoundError('analysis', analysisId);
  // Stored JSON, read back through the schema it was written to.
  return respond(analysisResponseSchema, { ...analysis, result: analysis.result ? causalRankingSchema.parse(analysis.result) : null });
});
