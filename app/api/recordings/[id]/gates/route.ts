import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { gateSaturation } from '@/lib/neurons/gate-saturation.ts';
import { respond } from '@/lib/http/respond.ts';
import { gatesResponseSchema } from '@/lib/http/schemas/recordings.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** -> {layers, gates, points: [{layer, quantity, cell, low, high}]}: gate saturation fractions. */
export const GET = apiRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  return respond(gatesResponseSchema, await gateSaturation(await getDb(), id));
});
