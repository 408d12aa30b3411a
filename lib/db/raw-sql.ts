import Database from 'better-sqlite3';
import pg from 'pg';

export type SqlValue = string | number | null | Uint8Array | boolean;

/**
 * The small slice of SQL the project runs directly, beside Prisma: migrations and the bulk state
 * chunks (Prisma's per-row overhead makes it 3-10x slower for blobs, see shared/STACK.md).
 * Statements use `?` placeholders on both databases.
 */
export interface RawSql {
  readonly kind: 'sqlite' | 'postgresql';
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Runs `fn` in one transaction; it rolls back if `fn` throws. */
  transaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function openSqliteRaw(file: string): RawSql & { readonly handle: Database.Database } {
  const handle = new Database(file);
  // Large pages and WAL make state-chunk writes ~1.5x faster and let readers run beside the
  // writer; page_size only takes effect on an empty database, before the first table exists.
  handle.pragma('page_size = 65536');
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = NORMAL');
  handle.pragma('busy_timeout = 10000');
  handle.pragma('foreign_keys = ON');
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let st = statements.get(sql);
    if (!st) {
      st = handle.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
  const toParams = (params: readonly SqlValue[]): unknown[] =>
    params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
  let depth = 0;
  const raw: RawSql & { handle: Database.Database } = {
    kind: 'sqlite',
    handle,
    async exec(sql) {
      handle.exec(sql);
    },
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).all(...toParams(params)) as Row[];
    },
    async run(sql, params = []) {
      prepare(sql).run(...toParams(params));
    },
    async transaction(fn) {
      // better-sqlite3 transactions cannot span awaits, so BEGIN/COMMIT are issued by hand;
      // nested calls join the outer transaction.
      if (depth > 0) return fn(raw);
      depth++;
      handle.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(raw);
        handle.exec('COMMIT');
        return result;
      } catch (err) {
        handle.exec('ROLLBACK');
        throw err;
      } finally {
        depth--;
      }
    },
    async close() {
      handle.close();
    },
  };
  return raw;
}

/** Replaces each `?` with $1, $2, ... (the project's SQL has no `?` inside literals). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function openPostgresRaw(url: string): RawSql {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const over = (client: pg.Pool | pg.PoolClient, inTx: boolean): RawSql => ({
    kind: 'postgresql',
    async exec(sql) {
      await client.query(sql);
    },
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      const res = await client.query(toPgPlaceholders(sql), params as unknown[]);
      return res.rows as Row[];
    },
    async run(sql, params = []) {
      await client.query(toPgPlaceholders(sql), params as unknown[]);
    },
    async transaction(fn) {
      if (inTx) return fn(over(client, true));
      const conn = await pool.connect();
      try {
        await conn.query('BEGIN');
        const result = await fn(over(conn, true));
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK');
        throw err;
      } finally {
        conn.release();
      }
    },
    async close() {
      if (!inTx) await pool.end();
    },
  });
  return over(pool, false);
}
