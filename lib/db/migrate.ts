import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../util/project-root.ts';
import type { RawSql } from './raw-sql.ts';

/** Prisma's own layout: prisma/migrations (SQLite) and prisma/postgresql/migrations. */
export function migrationsFolder(kind: RawSql['kind']): string {
  return join(projectRoot(), 'prisma', ...(kind === 'sqlite' ? ['migrations'] : ['postgresql', 'migrations']));
}

export interface MigrationFile {
  name: string;
  sql: string;
}

export function listMigrations(folder: string): MigrationFile[] {
  if (!existsSync(folder)) throw new Error(`migrations folder not found: ${folder}`);
  return readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(folder, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(folder, name, 'migration.sql'), 'utf8') }));
}

/**
 * Applies every migration not yet recorded in `_cellscope_migrations`, each once, in name order,
 * each inside its own transaction with its bookkeeping row. Returns the names applied.
 * Safe to call on every start: a database that is up to date is left untouched.
 */
export async function applyMigrations(raw: RawSql, folder = migrationsFolder(raw.kind)): Promise<string[]> {
  await raw.exec(
    'CREATE TABLE IF NOT EXISTS "_cellscope_migrations" ("name" TEXT PRIMARY KEY, "appliedAt" TEXT NOT NULL)',
  );
  const done = new Set(
    (await raw.query<{ name: string }>('SELECT "name" FROM "_cellscope_migrations"')).map((r) => r.name),
  );
  const applied: string[] = [];
  for (const m of listMigrations(folder)) {
    if (done.has(m.name)) continue;
    const ran = await raw.transaction(async (tx) => {
      // Another process (the web server beside the worker) may have applied it meanwhile: the
      // transaction holds the write lock (SQLite) or an advisory lock (PostgreSQL), so re-check.
      if (tx.kind === 'postgresql') await tx.exec('SELECT pg_advisory_xact_lock(727274)');
      const again = await tx.query('SELECT 1 AS x FROM "_cellscope_migrations" WHERE "name" = ?', [m.name]);
      if (again.length > 0) return false;
      await tx.exec(m.sql);
      await tx.run('INSERT INTO "_cellscope_migrations" ("name", "appliedAt") VALUES (?, ?)', [
        m.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (ran) applied.push(m.name);
  }
  return applied;
}
