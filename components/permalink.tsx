'use client';
import { useState } from 'react';

/**
 * A link that reproduces the view and names what it shows: the page's URL (which holds the view
 * state) plus the run, checkpoint and corpus of its recording. Opened elsewhere (another
 * database), the page compares those names with the recording it finds (PermalinkCheck).
 */
export function Permalink({ run, checkpoint, corpus }: { run: number; checkpoint: number; corpus: number }) {
  const [link, setLink] = useState<string | null>(null);
  const make = (): void => {
    const u = new URL(window.location.href);
    u.searchParams.set('run', String(run));
    u.searchParams.set('checkpoint', String(checkpoint));
    u.searchParams.set('corpus', String(corpus));
    const text = u.toString();
    setLink(text);
    void navigator.clipboard?.writeText(text).catch(() => {});
  };
  return (
    <span className="small">
      <button type="button" className="link" onClick={make} data-testid="permalink">permalink</button>
      {link && <input readOnly value={link} onFocus={(e) => e.target.select()} style={{ width: 420, marginLeft: 6 }} data-testid="permalink-url" />}
    </span>
  );
}
