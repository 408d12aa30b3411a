import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.ts';
import { PrismaClient as PostgresPrismaClient } from './generated/postgresql/client.ts';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url.ts';
import { applyMigrations } from './migrate.ts';
import { openPostgresRaw, openSqliteRaw, type RawSql } from './raw-sql.ts';

/**
 * Both generated clients expose the same model API (one shared schema text); the SQLite one's
 * types stand for both.
 */
export type Prisma = InstanceType<typeof SqlitePrismaClient>;

export interface Db {
  readonly target: DatabaseTarget;
  readonly prisma: Prisma;
  readonly raw: RawSql;
  close(): Promise<void>;
}

/** Opens a database and applies pending migrations, so a new DATABASE_URL just works. */
export async function openDb(url: string | undefined = process.env.DATABASE_URL): Promise<Db> {
  const target = parseDatabaseUrl(url);
  let raw: RawSql;
  let prisma: Prisma;
  if (target.kind === 'sqlite') {
    mkdirSync(dirname(target.file), { recursive: true });
    raw = openSqliteRaw(target.file);
    await applyMigrations(raw);
    prisma = new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: target.url, timeout: 10000 }) });
  } else {
    raw = openPostgresRaw(target.url);
    await applyMigrations(raw);
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    prisma = client as unknown as Prisma;
  }
  return {
    target,
    prisma,
    raw,
    async close() {
      await prisma.$disconnect();
      await raw.close();
    },
  };
}

const globalForDb = globalThis as unknown as { __cellscopeDb?: Promise<Db> };

/** The process-wide database (server, worker, CLI), opened once on first use. */
export function getDb(): Promise<Db> {
  globalForDb.__cellscopeDb ??= openDb().catch((err: unknown) => {
    globalForDb.__cellscopeDb = undefined;
    throw err;
  });
  return globalForDb.__cellscopeDb;
}
