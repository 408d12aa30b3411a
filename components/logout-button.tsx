'use client';

/** Ends the session (DELETE /api/session) and shows the login form again. */
export function LogoutButton() {
  return (
    <button className="link" data-testid="logout" onClick={() => void fetch('/api/session', { method: 'DELETE' }).then(() => window.location.assign('/'))}>
      Log out
    </button>
  );
}
