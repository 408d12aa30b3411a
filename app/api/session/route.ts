import { actorOf, cookieValue, sharedMode } from '@/lib/auth/actor.ts';
import { logIn } from '@/lib/auth/login.ts';
import { deleteSession, SESSION_COOKIE, SESSION_DAYS, sessionUser } from '@/lib/auth/sessions.ts';
import { getDb } from '@/lib/db/client.ts';
import { ConflictError, UnauthorizedError } from '@/lib/errors.ts';
import { apiRoute } from '@/lib/http/api-route.ts';
import { readJsonBody } from '@/lib/http/read-body.ts';
import { LoginThrottle } from '@/lib/auth/login-throttle.ts';
import { loginBodySchema, loginResponseSchema, logoutResponseSchema, sessionResponseSchema } from '@/lib/http/schemas/session.ts';
import { respond } from '@/lib/http/respond.ts';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/** The cookie: not readable by scripts, not sent by other sites' forms, Secure behind https. */
function sessionCookie(req: Request, token: string, maxAge: number): string {
  const https = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${https ? '; Secure' : ''}`;
}

/** {mode: local|shared, user: {id, email, isAdmin} | null}: who this browser is logged in as. */
export const GET = apiRoute(async (req: Request) => {
  if (!sharedMode()) return respond(sessionResponseSchema, { mode: 'local', user: null });
  const actor = actorOf(req);
  const cookie = cookieValue(req, SESSION_COOKIE);
  const user = actor.kind === 'user' ? actor.user : cookie ? await sessionUser(await getDb(), cookie) : null;
  return respond(sessionResponseSchema, { mode: 'shared', user: user ? { id: user.id, email: user.email, isAdmin: user.isAdmin } : null });
});

/** {email, password} -> a session cookie; 401 "wrong e-mail or password" for any wrong pair. */
// One per server process: every login attempt passes here.
const throttle = new LoginThrottle();

/** Logs in: 401 for any wrong pair, 429 after 10 wrong ones in 15 minutes for one e-mail or client. */
export const POST = apiRoute(async (req: Request) => {
  if (!sharedMode()) throw new ConflictError('this server runs in local mode: there is nothing to log in to');
  const body = loginBodySchema.parse(await readJsonBody(req));
  const email = `email:${body.email.trim().toLowerCase()}`;
  const client = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  const keys = client ? [email, `client:${client}`] : [email];
  throttle.check(keys);
  const { user, token } = await logIn(await getDb(), body).catch((err: unknown) => {
    if (err instanceof UnauthorizedError) throttle.fail(keys);
    throw err;
  });
  throttle.succeed(email);
  return respond(loginResponseSchema, { user: { id: user.id, email: user.email, isAdmin: user.isAdmin } }, { headers: { 'Set-Cookie': sessionCookie(req, token, SESSION_DAYS * 86_400) } });
});

/** Logs out: the session is deleted and the cookie cleared. */
export const DELETE = apiRoute(async (req: Request) => {
  const cookie = cookieValue(req, SESSION_COOKIE);
  if (cookie) await deleteSession(await getDb(), cookie);
  return respond(logoutResponseSchema, { loggedOut: true }, { headers: { 'Set-Cookie': sessionCookie(req, '', 0) } });
});
