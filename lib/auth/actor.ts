import type { Db } from '../db/client.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import { SESSION_COOKIE, sessionUser } from './sessions.ts';
import { verifyApiToken, type TokenScope } from './tokens.ts';
import type { UserSummary } from './users.ts';

/**
 * Who a request is from. Local mode (the default): the one person at this machine, who may do
 * everything. Shared mode (CELLSCOPE_AUTH=on): a user, from a session cookie (scope write) or an
 * `Authorization: Bearer` API token (its own scope); no credentials is a 401, and a read token on
 * a route that changes something is a 403.
 */
export type Actor = { kind: 'local' } | { kind: 'user'; user: UserSummary; scope: TokenScope } | { kind: 'anonymous' };

type Env = Readonly<Record<string, string | undefined>>;
export const sharedMode = (env: Env = process.env): boolean => env.CELLSCOPE_AUTH === 'on';

/** Routes open without credentials in shared mode: logging in, and the API's description. */
const OPEN = [{ method: 'POST', path: '/api/session' }, { method: 'GET', path: '/api/session' }, { method: 'GET', path: '/api/openapi.json' }];

export function cookieValue(req: Request, name: string): string | null {
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** The request's actor, or null when it carries no valid credentials (shared mode). */
export async function resolveActor(db: Db, req: Request, env: Env = process.env): Promise<Actor | null> {
  if (!sharedMode(env)) return { kind: 'local' };
  const auth = req.headers.get('authorization');
  if (auth !== null) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const found = m ? await verifyApiToken(db, m[1] as string) : null;
    return found ? { kind: 'user', user: found.user, scope: found.scope } : null;
  }
  const cookie = cookieValue(req, SESSION_COOKIE);
  const user = cookie ? await sessionUser(db, cookie) : null;
  return user ? { kind: 'user', user, scope: 'write' } : null;
}

const actors = new WeakMap<Request, Actor>();

/**
 * Checks a request's credentials before its route runs (lib/http/api-route.ts) and keeps its
 * actor for the route (actorOf). Throws a 401 or a 403 saying why.
 */
export async function authenticate(db: () => Promise<Db>, req: Request, env: Env = process.env): Promise<Actor> {
  if (!sharedMode(env)) {
    const local: Actor = { kind: 'local' };
    actors.set(req, local);
    return local;
  }
  const method = req.method.toUpperCase();
  const path = new URL(req.url).pathname;
  const actor = await resolveActor(await db(), req, env);
  if (!actor) {
    if (OPEN.some((o) => o.method === method && o.path === path)) {
      const anonymous: Actor = { kind: 'anonymous' };
      actors.set(req, anonymous);
      return anonymous;
    }
    throw new UnauthorizedError(req.headers.get('authorization') ? 'the API token is not valid (unknown or revoked)' : 'log in, or send an API token as "Authorization: Bearer TOKEN"');
  }
  if (actor.kind === 'user' && actor.scope === 'read' && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
    throw new ForbiddenError('this API token may only read: create one with --scope write to change anything');
  }
  actors.set(req, actor);
  return actor;
}

/**
 * The actor authenticate() found for this request. A request it never saw is local only in
 * local mode; in shared mode it is anonymous, so a route that forgot the check grants nothing.
 */
export function actorOf(req: Request, env: Env = process.env): Actor {
  return actors.get(req) ?? (sharedMode(env) ? { kind: 'anonymous' } : { kind: 'local' });
}
