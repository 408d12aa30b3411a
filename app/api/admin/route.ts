import { actorOf } from '@/lib/auth/actor.ts';
import { adminOverview } from '@/lib/auth/admin-overview.ts';
import { getDb } from '@/lib/db/client.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { respond } from '@/lib/http/respond.ts';
import { adminResponseSchema } from '@/lib/http/schemas/admin.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** Users with their storage and jobs, and every queued or running job: admins only (404 to others). */
export const GET = apiRoute(async (req: Request) => {
  return respond(adminResponseSchema, await adminOverview(await getDb(), actorOf(req)));
});
