import { neuronQuerySchema, neuronResponseSchema } from '@/lib/http/schemas/recordings.ts';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { neuronDetails } from '@/lib/neurons/neuron-details.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * ?layer&quantity&cell -> the cell's statistics (mean, std, min, max, low, high, hist, charsHigh,
 * charsLow, features) and its top and most negative examples with their text and values.
 */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = neuronQuerySchema.parse(queryObject(req.url));
  return respond(neuronResponseSchema, await neuronDetails(await getDb(), id, q));
});
