/** The query parameters a permalink adds to a view's own state: the data it was made against. */
export const PERMALINK_PARAMS = ['run', 'checkpoint', 'corpus'] as const;

/**
 * A view's next URL query with the permalink's run, checkpoint and corpus carried over from the
 * current one: a view that rewrites its URL as the user explores must not drop them, or the page
 * would stop warning that the link was made against other data (components/permalink-check.tsx).
 */
export function keepPermalinkParams(next: URLSearchParams, currentSearch: string): URLSearchParams {
  const current = new URLSearchParams(currentSearch);
  const out = new URLSearchParams(next);
  for (const k of PERMALINK_PARAMS) {
    const v = current.get(k);
    if (v !== null) out.set(k, v);
  }
  return out;
}
