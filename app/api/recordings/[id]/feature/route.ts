import { z } from 'zod';
import { getDb } from '@/lib/db/client.ts';
import { getRecording } from '@/lib/db/recordings.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { recordingFeatureWindow } from '@/lib/search/recording-features.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const featureQuerySchema = z
  .object({
    feature: z.string().min(1),
    regex: z.string().min(1).max(500).optional(),
    start: z.coerce.number().int().min(0),
    end: z.coerce.number().int().min(1),
  })
  .strict()
  .refine((q) => q.end - q.start <= 20_000, { message: 'at most 20000 positions per request', path: ['end'] });

/** ?feature[&regex]&start&end -> {feature, binary, start, values[], max}: a feature track under a window of text. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = featureQuerySchema.parse(queryObject(req.url));
  const db = await getDb();
  return Response.json(await recordingFeatureWindow(db, await getRecording(db, id), q));
});
