import { getDb } from '@/lib/db/client.ts';
import { listLabs } from '@/lib/db/labs.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { createLabBodySchema, createLabResponseSchema, listLabsResponseSchema } from '@/lib/http/schemas/labs.ts';
import { actorOf } from '@/lib/auth/actor.ts';
import { ownerIdOf, visibleWhere } from '@/lib/auth/access.ts';
import { createMemoryLab } from '@/lib/train/memory-lab.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = apiRoute(async (_req: Request) => {
  return respond(listLabsResponseSchema, { labs: await listLabs(await getDb(), visibleWhere(actorOf(_req), 'lab')) });
});

/** Creates a memory lab: its task corpora and one queued training run per (architecture, gap). */
export const POST = apiRoute(async (req: Request) => {
  const config = createLabBodySchema.parse(await readJsonBody(req));
  const { lab, jobs } = await createMemoryLab(await getDb(), config, { ownerId: ownerIdOf(actorOf(req)) });
  return respond(createLabResponseSchema, { labId: lab.id, runIds: jobs.map((j) => j.runId) }, { status: 201 });
});
