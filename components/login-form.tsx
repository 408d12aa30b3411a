'use client';
import { useState } from 'react';
import { api } from '@/lib/http/client.ts';

/** Shared mode's login (POST /api/session); on success the page asked for is loaded again. */
export function LoginForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await api('POST /api/session', { body: { email, password } });
      window.location.reload();
    } catch (err) {
      setBusy(false);
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <section className="panel" style={{ maxWidth: 420 }}>
      <h1>Log in</h1>
      <p className="small muted">This Cellscope server is shared: log in with the account an admin made for you.</p>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label className="field">E-mail<input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="login-email" required /></label>
        <label className="field">Password<input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" required /></label>
        <button type="submit" disabled={busy} data-testid="login-submit">{busy ? 'Logging in…' : 'Log in'}</button>
        {error && <p className="error" role="alert" data-testid="login-error">{error}</p>}
      </form>
    </section>
  );
}
