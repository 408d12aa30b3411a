'use client';
import { api } from '@/lib/http/client.ts';

/** Ends the session (DELETE /api/session) and shows the login form again. */
export function LogoutButton() {
  // Whatever the answer, the page goes back to the start: the login form, or the error it shows.
  const logOut = (): void => void api('DELETE /api/session').then(() => window.location.assign('/'), () => window.location.assign('/'));
  return (
    <button className="link" data-testid="logout" onClick={logOut}>
      Log out
    </button>
  );
}
