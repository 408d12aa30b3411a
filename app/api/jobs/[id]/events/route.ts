import { getDb } from '@/lib/db/client.ts';
import { getJob } from '@/lib/db/jobs.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { pollingEventStream } from '@/lib/http/sse.ts';
import { jobEventSchema } from '@/lib/http/schemas/jobs.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Live job progress (recording, training): each event is the job. */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const id = await parseId(ctx.params);
  await getJob(db, id);
  let last = '';
  return pollingEventStream(req, {
    schema: jobEventSchema,
    next: async () => {
      const job = await getJob(db, id);
      const key = `${job.status}|${job.progress}|${job.message}`;
      const done = job.status !== 'running' && job.status !== 'queued';
      if (key === last && !done) return { done: false };
      last = key;
      return { data: job, done };
    },
  });
});
