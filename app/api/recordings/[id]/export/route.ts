import { exportQuerySchema } from '@/lib/http/schemas/recordings.ts';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId, queryObject } from '@/lib/http/params.ts';
import { exportStates } from '@/lib/export/states-export.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** ?layer&quantity&start&end&format=npy|csv|json -> the states as a download. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const id = await parseId(ctx.params);
  const q = exportQuerySchema.parse(queryObject(req.url));
  const file = await exportStates(await getDb(), id, q);
  // Streamed block by block: memory stays bounded for an export of any size.
  const iterator = file.blocks[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { headers: { 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.filename}"` } });
});
