import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './client.ts';
import type { VisibleWhere } from './ownership.ts';
import { NotFoundError } from '../errors.ts';
import { deleteCorpus } from './delete-entities.ts';

/** train, record and analysis run on the worker; import runs where it was asked (an upload, the CLI) and only holds a lease. */
export type JobKind = 'train' | 'record' | 'import' | 'analysis';
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface JobView {
  id: number;
  kind: JobKind;
  status: JobStatus;
  progress: number;
  message: string;
  error: string | null;
  runId: number | null;
  recordingId: number | null;
  cancelRequested: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const select = {
  id: true, kind: true, status: true, progress: true, message: true, error: true, runId: true,
  recordingId: true, cancelRequested: true, createdAt: true, updatedAt: true,
} as const;

export async function getJob(db: Db, id: number): Promise<JobView> {
  const row = await db.prisma.job.findUnique({ where: { id }, select });
  if (!row) throw new NotFoundError('job', id);
  return row as JobView;
}

/** Jobs (of a run or recording, or all) that `visible` lets through (lib/auth/access.ts visibleWhere), newest first. */
export async function listJobs(db: Db, where: { runId?: number; recordingId?: number; kind?: JobKind } = {}, visible: VisibleWhere = {}): Promise<JobView[]> {
  return (await db.prisma.job.findMany({ where: { ...where, ...visible }, select, orderBy: { id: 'desc' } })) as JobView[];
}

/**
 * Leases: a running job belongs to the process that claimed it for LEASE_MS, renewed every
 * HEARTBEAT_MS (lib/jobs/job-context.ts). Two servers, or a server and a CLI, on one database
 * each take only queued jobs and jobs whose lease ran out, never one another's live work.
 */
export const LEASE_MS = 30_000;
export const HEARTBEAT_MS = 5_000;
/** Starts a job may have before an interruption fails it instead of queueing it again. */
export const MAX_ATTEMPTS = 5;

/** This process as a lease holder: "host/pid/nonce". */
export const processOwner = `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;

const leaseUntil = (): Date => new Date(Date.now() + LEASE_MS);

/** The lease a job claimed by this process starts with (for the CLI's in-process runs). */
export function newLease(): { leaseOwner: string; leaseExpiresAt: Date } {
  return { leaseOwner: processOwner, leaseExpiresAt: leaseUntil() };
}

/** True when `owner` names a process on this host that no longer exists. */
function deadOnThisHost(owner: string | null): boolean {
  if (!owner) return false;
  const [host, pidText] = owner.split('/');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Puts jobs whose holder is gone back in the queue, so a worker resumes them (training from its
 * last checkpoint): an expired lease, a holder on this host that has died (a kill -9 is taken
 * over at once, not after the lease), or a job from before leases whose last update is stale.
 */
export async function requeueOrphanedJobs(db: Db): Promise<number> {
  const now = new Date();
  const running = await db.prisma.job.findMany({ where: { status: 'running' }, select: { id: true, kind: true, runId: true, recordingId: true, leaseOwner: true, leaseExpiresAt: true, updatedAt: true, attempts: true } });
  let count = 0;
  for (const j of running) {
    const orphaned = j.leaseExpiresAt ? j.leaseExpiresAt <= now || deadOnThisHost(j.leaseOwner) : j.updatedAt.getTime() <= now.getTime() - 2 * LEASE_MS;
    if (!orphaned) continue;
    if (j.kind === 'import') {
      // An import cannot resume: what it stored before its process died is removed whole.
      const res = await db.prisma.job.updateMany({ where: { id: j.id, status: 'running', leaseOwner: j.leaseOwner }, data: { status: 'failed', error: 'interrupted', leaseOwner: null, leaseExpiresAt: null } });
      if (res.count === 1) await discardInterruptedImport(db, j.recordingId);
      continue;
    }
    if (j.attempts >= MAX_ATTEMPTS) {
      // A job that takes its process down every time would otherwise loop forever.
      const res = await db.prisma.job.updateMany({
        where: { id: j.id, status: 'running', leaseOwner: j.leaseOwner },
        data: { status: 'failed', error: `interrupted ${j.attempts} times without finishing`, message: 'failed', finishedAt: now, leaseOwner: null, leaseExpiresAt: null },
      });
      if (res.count === 1 && j.kind === 'train' && j.runId !== null) await db.prisma.run.updateMany({ where: { id: j.runId }, data: { status: 'failed' } });
      if (res.count === 1 && j.kind === 'record' && j.recordingId !== null) await db.prisma.recording.updateMany({ where: { id: j.recordingId }, data: { status: 'failed' } });
      continue;
    }
    const res = await db.prisma.job.updateMany({
      where: { id: j.id, status: 'running', leaseOwner: j.leaseOwner },
      data: { status: 'queued', message: 'resuming after an interruption', leaseOwner: null, leaseExpiresAt: null },
    });
    count += res.count;
  }
  return count;
}

async function discardInterruptedImport(db: Db, recordingId: number | null): Promise<void> {
  if (recordingId === null) return;
  const rec = await db.prisma.recording.findUnique({ where: { id: recordingId }, select: { corpusId: true } });
  if (rec) await deleteCorpus(db, rec.corpusId);
}

/** Atomically claims the oldest queued job for `owner` (the status check is part of the UPDATE). */
export async function claimNextJob(db: Db, owner = processOwner): Promise<JobView | undefined> {
  for (;;) {
    const next = await db.prisma.job.findFirst({ where: { status: 'queued', kind: { in: ['train', 'record', 'analysis'] } }, orderBy: { id: 'asc' }, select: { id: true } });
    if (!next) return undefined;
    const res = await db.prisma.job.updateMany({
      where: { id: next.id, status: 'queued' },
      data: { status: 'running', startedAt: new Date(), attempts: { increment: 1 }, leaseOwner: owner, leaseExpiresAt: leaseUntil() },
    });
    if (res.count === 1) return getJob(db, next.id);
  }
}

/** Extends `owner`'s lease on a running job; false when the job is no longer its to run. */
export async function renewLease(db: Db, id: number, owner = processOwner): Promise<boolean> {
  const res = await db.prisma.job.updateMany({ where: { id, status: 'running', leaseOwner: owner }, data: { leaseExpiresAt: leaseUntil() } });
  return res.count === 1;
}

export async function updateJobProgress(db: Db, id: number, progress: number, message: string): Promise<void> {
  await db.prisma.job.update({ where: { id }, data: { progress: Math.max(0, Math.min(1, progress)), message } });
}

export async function finishJob(db: Db, id: number, status: Exclude<JobStatus, 'queued' | 'running'>, fields: { error?: string; message?: string } = {}): Promise<void> {
  await db.prisma.job.update({
    where: { id },
    data: {
      status,
      finishedAt: new Date(),
      leaseOwner: null,
      leaseExpiresAt: null,
      ...(status === 'completed' ? { progress: 1 } : {}),
      ...(fields.error !== undefined ? { error: fields.error } : {}),
      ...(fields.message !== undefined ? { message: fields.message } : {}),
    },
  });
}

export async function isCancelRequested(db: Db, id: number): Promise<boolean> {
  const row = await db.prisma.job.findUnique({ where: { id }, select: { cancelRequested: true } });
  return row?.cancelRequested ?? true;
}

/**
 * Asks a job to stop. A queued job is cancelled at once; a running one stops at its next step
 * (the worker polls the flag). Finished jobs are left as they are.
 */
export async function requestCancel(db: Db, id: number): Promise<JobView> {
  const job = await getJob(db, id);
  if (job.status === 'queued') {
    await db.prisma.job.updateMany({ where: { id, status: 'queued' }, data: { status: 'cancelled', cancelRequested: true, finishedAt: new Date(), message: 'cancelled before it started' } });
    if (job.runId !== null && job.kind === 'train') await db.prisma.run.update({ where: { id: job.runId }, data: { status: 'cancelled' } });
    if (job.kind === 'record' && job.recordingId !== null) await db.prisma.recording.updateMany({ where: { id: job.recordingId }, data: { status: 'cancelled' } });
  } else if (job.status === 'running') {
    await db.prisma.job.update({ where: { id }, data: { cancelRequested: true, message: 'cancelling…' } });
  }
  return getJob(db, id);
}
