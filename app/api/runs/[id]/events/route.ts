import { getDb } from '@/lib/db/client.ts';
import { listJobs } from '@/lib/db/jobs.ts';
import { getRun } from '@/lib/db/runs.ts';
import { listMetrics } from '@/lib/db/run-metrics.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { parseId } from '@/lib/http/params.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { visibleWhere } from '@/lib/auth/access.ts';
import { pollingEventStream } from '@/lib/http/sse.ts';
import { runEventSchema } from '@/lib/http/schemas/runs.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * Live training progress: each event is {status, step, metrics (points not sent before), job}.
 * `?since=N` skips the first N metric points (the page already has them).
 */
export const GET = apiRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const db = await getDb();
  const id = await parseId(ctx.params);
  await getRun(db, id);
  // A reader of a shared run sees its progress; its job (and message) only the owner.
  const jobsSeen = visibleWhere(actorOf(req), 'job');
  let sent = Math.max(0, Number(new URL(req.url).searchParams.get('since') ?? '0') || 0);
  let last = '';
  return pollingEventStream(req, {
    schema: runEventSchema,
    next: async () => {
      const run = await getRun(db, id);
      const job = (await listJobs(db, { runId: id }, jobsSeen)).find((j) => j.kind === 'train') ?? null;
      // Only the points this client has not seen are read and sent.
      const fresh = await listMetrics(db, id, { skip: sent });
      const key = `${run.status}|${run.step}|${sent + fresh.length}|${job?.status}|${job?.progress}|${job?.message}`;
      const done = run.status !== 'running' && run.status !== 'queued';
      if (key === last && !done) return { done: false };
      last = key;
      sent += fresh.length;
      return { data: { status: run.status, step: run.step, totalSteps: run.config.steps, metrics: fresh, job }, done };
    },
  });
});
