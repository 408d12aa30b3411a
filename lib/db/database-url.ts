import { isAbsolute, join, resolve } from 'node:path';
import { projectRoot } from '../util/project-root.ts';

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string; url: string }
  | { kind: 'postgresql'; url: string };

/**
 * Parses DATABASE_URL. Empty: the embedded default, SQLite at <project>/data/cellscope.db.
 * `file:PATH` (relative paths resolve against the working folder) selects SQLite;
 * `postgresql://` or `postgres://` selects PostgreSQL. Anything else is refused.
 */
export function parseDatabaseUrl(raw: string | undefined): DatabaseTarget {
  const url = raw?.trim() ?? '';
  if (url === '') {
    const file = join(/*turbopackIgnore: true*/ projectRoot(), 'data', 'cellscope.db');
    return { kind: 'sqlite', file, url: `file:${file}` };
  }
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new Error('DATABASE_URL "file:" needs a path, e.g. file:./data/cellscope.db');
    const file = isAbsolute(path) ? path : resolve(/*turbopackIgnore: true*/ process.cwd(), path);
    return { kind: 'sqlite', file, url: `file:${file}` };
  }
  if (url.startsWith('postgresql://') || url.startsWith('postgres://')) {
    return { kind: 'postgresql', url };
  }
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${url.slice(0, 40)}"`,
  );
}
