import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tempDb } from '../../helpers/temp-db.ts';
import type { Db } from '../../../lib/db/client.ts';
import { hashPassword, verifyPassword } from '../../../lib/auth/password.ts';
import { createApiToken, revokeApiToken, tokenHash, verifyApiToken } from '../../../lib/auth/tokens.ts';
import { addUser, listUsers } from '../../../lib/auth/users.ts';

// Issue 11, shared mode's accounts: argon2id passwords, hashed API tokens, and the CLI for both.
let db: Db;
let url: string;
let cleanup: () => Promise<void>;
before(async () => {
  ({ db, url, cleanup } = await tempDb());
});
after(async () => cleanup());

test('passwords: argon2id with a salt per hash; only the right password verifies', async () => {
  const a = await hashPassword('correct horse battery');
  const b = await hashPassword('correct horse battery');
  assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.notEqual(a, b, 'a fresh salt each time');
  assert.equal(await verifyPassword(a, 'correct horse battery'), true);
  assert.equal(await verifyPassword(a, 'correct horse batterx'), false);
  assert.equal(await verifyPassword('not a hash', 'x'), false);
});

test('users: e-mail checked and lower-cased, passwords of 12+ characters, no duplicates', async () => {
  const u = await addUser(db, { email: ' Ada@Example.org ', password: 'a long passphrase', isAdmin: true });
  assert.deepEqual([u.email, u.isAdmin], ['ada@example.org', true]);
  await assert.rejects(addUser(db, { email: 'ada@example.org', password: 'another long one' }), /already exists/);
  await assert.rejects(addUser(db, { email: 'not-an-email', password: 'a long passphrase' }), /not an e-mail address/);
  await assert.rejects(addUser(db, { email: 'bob@example.org', password: 'short' }), /at least 12 characters/);
  assert.deepEqual((await listUsers(db)).map((x) => x.email), ['ada@example.org']);
  const row = await db.prisma.user.findUniqueOrThrow({ where: { email: 'ada@example.org' } });
  assert.ok(!row.passwordHash.includes('passphrase'));
});

test('tokens: shown once, stored as a hash, scoped, and dead once revoked', async () => {
  const t = await createApiToken(db, { email: 'ada@example.org', scope: 'read' });
  assert.match(t.token, /^cs_[A-Za-z0-9_-]{43}$/);
  const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } });
  assert.equal(row.tokenHash, tokenHash(t.token));
  assert.ok(!JSON.stringify(row).includes(t.token.slice(3)), 'the token itself is not stored');
  const seen = await verifyApiToken(db, t.token);
  assert.deepEqual([seen?.user.email, seen?.scope], ['ada@example.org', 'read']);
  // One character changed (to one it surely is not) makes it name nobody.
  assert.equal(await verifyApiToken(db, `${t.token.slice(0, -1)}${t.token.endsWith('A') ? 'B' : 'A'}`), null);
  assert.equal(await verifyApiToken(db, 'cs_short'), null);
  await revokeApiToken(db, t.id);
  assert.equal(await verifyApiToken(db, t.token), null);
  await assert.rejects(createApiToken(db, { email: 'ada@example.org', scope: 'admin' }), /--scope must be read or write/);
  await assert.rejects(createApiToken(db, { email: 'nobody@example.org', scope: 'read' }), /user nobody@example.org not found/);
  await assert.rejects(revokeApiToken(db, 999), /token 999 not found/);
});

test('the CLI: user add --password-stdin, user list, token create (printed once), token revoke; bad input exits 2', () => {
  const env = { ...process.env, DATABASE_URL: url };
  const cli = (args: string[], input = '') => {
    const r = spawnSync(process.execPath, ['bin/cellscope.js', ...args], { env, input, encoding: 'utf8', timeout: 60_000 });
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    } catch {
      // not JSON
    }
    return { code: r.status, json, stderr: r.stderr };
  };
  const add = cli(['user', 'add', 'grace@example.org', '--password-stdin', '--json'], 'a passphrase of hers\n');
  assert.equal(add.code, 0, add.stderr);
  assert.equal(add.json.email, 'grace@example.org');
  assert.equal(cli(['user', 'add', 'x@example.org', '--json']).code, 2, 'a password is never a flag');
  assert.equal(cli(['user', 'add', 'x@example.org', '--password-stdin'], 'short\n').code, 2);
  assert.deepEqual((cli(['user', 'list', '--json']).json.users as { email: string }[]).map((u) => u.email), ['ada@example.org', 'grace@example.org']);
  const made = cli(['token', 'create', '--user', 'grace@example.org', '--scope', 'write', '--json']);
  assert.equal(made.code, 0, made.stderr);
  assert.match(String(made.json.token), /^cs_/);
  assert.equal(made.json.scope, 'write');
  assert.equal(cli(['token', 'create', '--user', 'grace@example.org', '--scope', 'root']).code, 2);
  assert.equal(cli(['token', 'revoke', String(made.json.tokenId)]).code, 0);
  assert.equal(cli(['token', 'revoke', 'abc']).code, 2);
});
