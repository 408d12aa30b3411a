import { cookies } from 'next/headers';
import { sharedMode, type Actor } from '../auth/actor.ts';
import { SESSION_COOKIE, sessionUser } from '../auth/sessions.ts';
import { getDb } from '../db/client.ts';

/**
 * Who is looking at a page (server components): local mode's one person, a logged-in user, or,
 * in shared mode without a valid session, anonymous, who sees nothing (the root layout shows
 * the login form instead of the page).
 */
export async function pageActor(): Promise<Actor> {
  if (!sharedMode()) return { kind: 'local' };
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const user = token ? await sessionUser(await getDb(), token) : null;
  return user ? { kind: 'user', user, scope: 'write' } : { kind: 'anonymous' };
}
