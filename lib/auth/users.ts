import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password.ts';

/** The accounts of shared mode: made from the CLI (cellscope user add), the first admin too. */
export interface UserSummary {
  id: number;
  email: string;
  isAdmin: boolean;
  createdAt: Date;
}

export const emailSchema = z.string().trim().toLowerCase().max(254).email('must be an e-mail address');

export async function addUser(db: Db, input: { email: string; password: string; isAdmin?: boolean }): Promise<UserSummary> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new BadRequestError(`${JSON.stringify(input.email)} is not an e-mail address`, 'email');
  if (input.password.length < MIN_PASSWORD_LENGTH) throw new BadRequestError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`, 'password');
  if (input.password.length > MAX_PASSWORD_LENGTH) throw new BadRequestError(`the password may have at most ${MAX_PASSWORD_LENGTH} characters`, 'password');
  if (await db.prisma.user.findUnique({ where: { email: email.data } })) throw new ConflictError(`a user ${email.data} already exists`);
  const row = await db.prisma.user.create({ data: { email: email.data, passwordHash: await hashPassword(input.password), isAdmin: input.isAdmin ?? false } });
  return { id: row.id, email: row.email, isAdmin: row.isAdmin, createdAt: row.createdAt };
}

export async function listUsers(db: Db): Promise<UserSummary[]> {
  return db.prisma.user.findMany({ orderBy: { id: 'asc' }, select: { id: true, email: true, isAdmin: true, createdAt: true } });
}

export async function userByEmail(db: Db, email: string): Promise<UserSummary | null> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) return null;
  return db.prisma.user.findUnique({ where: { email: parsed.data }, select: { id: true, email: true, isAdmin: true, createdAt: true } });
}
