import { ownerOf, type ShareableKind } from '../auth/access.ts';
import { getSharing, setSharing } from '../auth/sharing.ts';
import { getDb } from '../db/client.ts';
import { apiRoute } from './api-route.ts';
import { parseId } from './params.ts';
import { readJsonBody } from './read-body.ts';
import { setSharingBodySchema, sharingResponseSchema } from './schemas/sharing.ts';
import { respond } from './respond.ts';

type Ctx = { params: Promise<{ id: string }> };

/**
 * GET and POST /api/<resource>/{id}/sharing for one kind of item. Only its owner gets here (the
 * contract gives both `access: 'write'`, checked in apiRoute); the handlers only read and set.
 */
export function sharingRoutes(kind: ShareableKind): { GET: (req: Request, ctx: Ctx) => Promise<Response>; POST: (req: Request, ctx: Ctx) => Promise<Response> } {
  return {
    GET: apiRoute(async (_req: Request, ctx: Ctx) => {
      const db = await getDb();
      const id = await parseId(ctx.params);
      await ownerOf(db, kind, id);
      return respond(sharingResponseSchema, await getSharing(db, kind, id));
    }),
    POST: apiRoute(async (req: Request, ctx: Ctx) => {
      const db = await getDb();
      const id = await parseId(ctx.params);
      const body = setSharingBodySchema.parse(await readJsonBody(req));
      const ownerId = await ownerOf(db, kind, id);
      return respond(sharingResponseSchema, await setSharing(db, { kind, id, ownerId, visibility: body.visibility, ...(body.users ? { users: body.users } : {}) }));
    }),
  };
}
