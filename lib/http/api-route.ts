import { handleApiError } from './handle-api-error.ts';
import { checkRequestOrigin } from './request-guard.ts';
import { authenticate } from '../auth/actor.ts';
import { getDb } from '../db/client.ts';
import { checkEndpointAccess } from './endpoint-access.ts';

/**
 * Wraps a route handler: the request first passes the host and origin checks (request-guard.ts)
 * and, in shared mode, the credentials check (lib/auth/actor.ts) and the ownership check of the
 * item its path names (endpoint-access.ts, from the contract table),
 * and every thrown error goes through the one error mapper (handleApiError): validation -> 400,
 * unknown id -> 404, and so on.
 */
export function apiRoute(handler: (req: Request) => Promise<Response>): (req: Request) => Promise<Response>;
export function apiRoute<Ctx>(handler: (req: Request, ctx: Ctx) => Promise<Response>): (req: Request, ctx: Ctx) => Promise<Response>;
export function apiRoute<Ctx>(handler: (req: Request, ctx: Ctx) => Promise<Response>): (req: Request, ctx: Ctx) => Promise<Response> {
  return async (req, ctx) => {
    try {
      checkRequestOrigin(req);
      const actor = await authenticate(getDb, req);
      await checkEndpointAccess(getDb, req, actor);
      return await handler(req, ctx);
    } catch (err) {
      return handleApiError(err);
    }
  };
}
