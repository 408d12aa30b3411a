import { featureQuerySchema, featureResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { getDb } from '@/lib/db/client.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { recordingFeatureWindow } from '@/lib/search/recording-features.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?feature[&regex]&start&end -> {feature, binary, start, values[], max}: a feature track under a window of text. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = featureQuerySchema.parse(queryObject(req.url));
  const db = await getDb();
  return respond(featureResponseSchema, await recordingFeatureWindow(db, await getRecording(db, id), q));
});
