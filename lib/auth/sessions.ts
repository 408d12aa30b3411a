import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { tokenHash } from './tokens.ts';
import type { UserSummary } from './users.ts';

/** Login sessions: a random cookie token, stored as its SHA-256 hash, valid for SESSION_DAYS. */
export const SESSION_COOKIE = 'cellscope_session';
export const SESSION_DAYS = 14;

export async function createSession(db: Db, userId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.prisma.session.create({ data: { tokenHash: tokenHash(token), userId, expiresAt } });
  return { token, expiresAt };
}

/** The user a session cookie belongs to, or null (unknown or expired: an expired one is removed). */
export async function sessionUser(db: Db, token: string): Promise<UserSummary | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const row = await db.prisma.session.findUnique({ where: { tokenHash: tokenHash(token) }, include: { user: { select: { id: true, email: true, isAdmin: true, createdAt: true } } } });
  if (!row) return null;
  if (row.expiresAt <= new Date()) {
    await db.prisma.session.deleteMany({ where: { tokenHash: row.tokenHash } });
    return null;
  }
  return row.user;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.prisma.session.deleteMany({ where: { tokenHash: tokenHash(token) } });
}
