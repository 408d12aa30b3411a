import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { BadRequestError, NotFoundError } from '../errors.ts';
import { userByEmail, type UserSummary } from './users.ts';

/**
 * API tokens for scripts and the CLI: 32 random bytes, shown once when made ("cs_" + base64url);
 * only their SHA-256 hash is stored, so a copy of the database gives no working token. Each is
 * scoped read (GET routes) or write (everything), and can be revoked.
 */
export type TokenScope = 'read' | 'write';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'write'];

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface CreatedToken {
  id: number;
  token: string;
  scope: TokenScope;
  user: string;
}

export async function createApiToken(db: Db, input: { email: string; scope: string }): Promise<CreatedToken> {
  if (!(TOKEN_SCOPES as readonly string[]).includes(input.scope)) throw new BadRequestError(`--scope must be read or write, got ${JSON.stringify(input.scope)}`, 'scope');
  const user = await userByEmail(db, input.email);
  if (!user) throw new NotFoundError('user', input.email);
  const token = `cs_${randomBytes(32).toString('base64url')}`;
  const row = await db.prisma.apiToken.create({ data: { userId: user.id, tokenHash: tokenHash(token), scope: input.scope } });
  return { id: row.id, token, scope: input.scope as TokenScope, user: user.email };
}

export async function revokeApiToken(db: Db, id: number): Promise<void> {
  const res = await db.prisma.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (res.count === 0 && !(await db.prisma.apiToken.findUnique({ where: { id } }))) throw new NotFoundError('token', id);
}

/** The user and scope a presented token stands for, or null (unknown, or revoked). */
export async function verifyApiToken(db: Db, token: string): Promise<{ user: UserSummary; scope: TokenScope } | null> {
  if (!/^cs_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await db.prisma.apiToken.findUnique({ where: { tokenHash: tokenHash(token) }, include: { user: { select: { id: true, email: true, isAdmin: true, createdAt: true } } } });
  if (!row || row.revokedAt) return null;
  await db.prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  return { user: row.user, scope: row.scope as TokenScope };
}

export async function listApiTokens(db: Db): Promise<{ id: number; user: string; scope: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }[]> {
  const rows = await db.prisma.apiToken.findMany({ orderBy: { id: 'asc' }, include: { user: { select: { email: true } } } });
  return rows.map((r) => ({ id: r.id, user: r.user.email, scope: r.scope, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, revokedAt: r.revokedAt }));
}
