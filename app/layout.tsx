import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import Link from 'next/link';
import { isAllowedHost } from '@/lib/http/request-guard.ts';
import { LoginForm } from '@/components/login-form';
import { LogoutButton } from '@/components/logout-button';
import { pageActor } from '@/lib/http/page-actor.ts';
import './globals.css';

export const metadata = {
  title: 'Cellscope',
  description: 'Look inside recurrent neural networks: what each LSTM cell has learned.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // DNS rebinding: a foreign name pointed at this server gets no page (lib/http/request-guard.ts).
  const host = (await headers()).get('host');
  if (!isAllowedHost(host)) {
    return (
      <html lang="en">
        <body>
          <main>
            <h1>Not served</h1>
            <p>This Cellscope server does not answer to the host {JSON.stringify(host ?? '')}. Add it to CELLSCOPE_ALLOWED_HOSTS to serve it.</p>
          </main>
        </body>
      </html>
    );
  }
  // Shared mode: a page shows only to a logged-in user; anyone else gets the login form.
  const actor = await pageActor();
  const user = actor.kind === 'user' ? actor.user : null;
  const loginNeeded = actor.kind === 'anonymous';
  return (
    <html lang="en">
      <body>
        <header className="top">
          <Link href="/" className="brand">Cellscope</Link>
          <Link href="/">Runs &amp; corpora</Link>
          <Link href="/labs">Memory lab</Link>
          <Link href="/api-docs">API</Link>
          {user?.isAdmin && <Link href="/admin">Admin</Link>}
          {user && (
            <span className="small" style={{ marginLeft: 'auto' }} data-testid="logged-in-as">
              {user.email} · <LogoutButton />
            </span>
          )}
        </header>
        <main>{loginNeeded ? <LoginForm /> : children}</main>
      </body>
    </html>
  );
}
