import { handleApiError } from './handle-api-error.ts';

/**
 * Wraps a route handler so that every thrown error goes through the one error mapper
 * (handleApiError): validation -> 400, unknown id -> 404, and so on.
 */
export function apiRoute(handler: (req: Request) => Promise<Response>): (req: Request) => Promise<Response>;
export function apiRoute<Ctx>(handler: (req: Request, ctx: Ctx) => Promise<Response>): (req: Request, ctx: Ctx) => Promise<Response>;
export function apiRoute<Ctx>(handler: (req: Request, ctx: Ctx) => Promise<Response>): (req: Request, ctx: Ctx) => Promise<Response> {
  return async (req, ctx) => {
    try {
      return await handler(req, ctx);
    } catch (err) {
      return handleApiError(err);
    }
  };
}
