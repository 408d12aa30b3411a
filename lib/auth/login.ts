import type { Db } from '../db/client.ts';
import { UnauthorizedError } from '../errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { createSession } from './sessions.ts';
import { emailSchema, type UserSummary } from './users.ts';

// A hash to check against when the e-mail names nobody, so that a wrong e-mail takes as long as
// a wrong password and the answer does not tell which accounts exist.
let dummy: Promise<string> | undefined;

/** A new session for the right e-mail and password; one 401 message for every wrong pair. */
export async function logIn(db: Db, input: { email: string; password: string }): Promise<{ user: UserSummary; token: string; expiresAt: Date }> {
  const email = emailSchema.safeParse(input.email);
  const row = email.success ? await db.prisma.user.findUnique({ where: { email: email.data } }) : null;
  const ok = await verifyPassword(row?.passwordHash ?? (await (dummy ??= hashPassword('no such user, no such password'))), input.password);
  if (!row || !ok) throw new UnauthorizedError('wrong e-mail or password');
  const { token, expiresAt } = await createSession(db, row.id);
  return { user: { id: row.id, email: row.email, isAdmin: row.isAdmin, createdAt: row.createdAt }, token, expiresAt };
}
