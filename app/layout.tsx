import type { ReactNode } from 'react';
import Link from 'next/link';
import './globals.css';

export const metadata = {
  title: 'Cellscope',
  description: 'Look inside recurrent neural networks: what each LSTM cell has learned.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="top">
          <Link href="/" className="brand">Cellscope</Link>
          <Link href="/">Runs &amp; corpora</Link>
          <Link href="/labs">Memory lab</Link>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
