import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAbsolute, join } from 'node:path';
import { parseDatabaseUrl } from '../../../lib/db/database-url.ts';
import { toPgPlaceholders } from '../../../lib/db/raw-sql.ts';

test('DATABASE_URL: empty means SQLite in the project data folder; file: and postgresql:// select the engine', () => {
  const def = parseDatabaseUrl(undefined);
  assert.equal(def.kind, 'sqlite');
  assert.ok(def.kind === 'sqlite' && def.file.endsWith(join('data', 'cellscope.db')) && isAbsolute(def.file));
  const rel = parseDatabaseUrl('file:./x/y.db');
  assert.ok(rel.kind === 'sqlite' && rel.file === join(process.cwd(), 'x', 'y.db'));
  const abs = parseDatabaseUrl('file:/tmp/a.db');
  assert.ok(abs.kind === 'sqlite' && abs.file === '/tmp/a.db');
  assert.equal(parseDatabaseUrl('postgresql://u@h:5432/db').kind, 'postgresql');
  assert.equal(parseDatabaseUrl('postgres://u@h/db').kind, 'postgresql');
  assert.throws(() => parseDatabaseUrl('mysql://h/db'), /must start with file:/);
  assert.throws(() => parseDatabaseUrl('file:'), /needs a path/);
});

test('SQL placeholders become $1, $2, ... for PostgreSQL', () => {
  assert.equal(toPgPlaceholders('SELECT * FROM "T" WHERE a = ? AND b IN (?, ?)'), 'SELECT * FROM "T" WHERE a = $1 AND b IN ($2, $3)');
  assert.equal(toPgPlaceholders('SELECT 1'), 'SELECT 1');
});
