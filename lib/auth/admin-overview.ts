import type { Db } from '../db/client.ts';
import { NotFoundError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { storageOf, userMaxJobs, userQuotaBytes, type StorageUse } from './quota.ts';
import { listUsers } from './users.ts';

export interface AdminUserRow {
  id: number;
  email: string;
  isAdmin: boolean;
  createdAt: Date;
  storage: StorageUse;
  quotaBytes: number;
  activeJobs: number;
  maxJobs: number;
}

export interface AdminJobRow {
  id: number;
  kind: string;
  status: string;
  progress: number;
  message: string;
  runId: number | null;
  recordingId: number | null;
  owner: string | null;
  createdAt: Date;
}

export interface AdminOverview {
  users: AdminUserRow[];
  jobs: AdminJobRow[];
}

/** Whether the actor may see the admin page: an admin, or local mode's one person. */
export function isAdminActor(actor: Actor): boolean {
  return actor.kind === 'local' || (actor.kind === 'user' && actor.user.isAdmin);
}

/**
 * The admin page's data: every user with what they store and their jobs, and every queued or
 * running job with its owner. Anyone but an admin gets the 404 of a page that is not there.
 */
export async function adminOverview(db: Db, actor: Actor): Promise<AdminOverview> {
  if (!isAdminActor(actor)) throw new NotFoundError('page', '/admin');
  const users = await listUsers(db);
  const active = await db.prisma.job.groupBy({ by: ['ownerId'], where: { status: { in: ['queued', 'running'] } }, _count: { _all: true } });
  const activeOf = new Map(active.map((a) => [a.ownerId, a._count._all]));
  const rows: AdminUserRow[] = [];
  for (const u of users) {
    rows.push({ ...u, storage: await storageOf(db, u.id), quotaBytes: userQuotaBytes(), activeJobs: activeOf.get(u.id) ?? 0, maxJobs: userMaxJobs() });
  }
  const jobs = await db.prisma.job.findMany({
    where: { status: { in: ['queued', 'running'] } },
    orderBy: { id: 'asc' },
    select: { id: true, kind: true, status: true, progress: true, message: true, runId: true, recordingId: true, createdAt: true, owner: { select: { email: true } } },
  });
  return { users: rows, jobs: jobs.map(({ owner, ...j }) => ({ ...j, owner: owner?.email ?? null })) };
}
