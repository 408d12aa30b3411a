import type { Db } from './client.ts';
import { NotFoundError } from '../errors.ts';

export type JobKind = 'train' | 'record';
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

export async function listJobs(db: Db, where: { runId?: number; recordingId?: number } = {}): Promise<JobView[]> {
  return (await db.prisma.job.findMany({ where, select, orderBy: { id: 'desc' } })) as JobView[];
}

/** A running job whose heartbeat (updatedAt) is older than this was orphaned by a dead process. */
export const STALE_AFTER_MS = 120_000;

/**
 * Puts jobs left `running` by a process that died back in the queue, so the worker resumes
 * them (training from its last checkpoint). `all` (used at server start when no other process
 * can be working) recovers regardless of the heartbeat.
 */
export async function requeueOrphanedJobs(db: Db, all = false): Promise<number> {
  const cutoff = new Date(Date.now() - (all ? 0 : STALE_AFTER_MS));
  const res = await db.prisma.job.updateMany({
    where: { status: 'running', updatedAt: { lte: cutoff } },
    data: { status: 'queued', message: 'resuming after an interruption' },
  });
  return res.count;
}

/** Atomically claims the oldest queued job (the status check is part of the UPDATE). */
export async function claimNextJob(db: Db): Promise<JobView | undefined> {
  for (;;) {
    const next = await db.prisma.job.findFirst({ where: { status: 'queued' }, orderBy: { id: 'asc' }, select: { id: true } });
    if (!next) return undefined;
    const res = await db.prisma.job.updateMany({
      where: { id: next.id, status: 'queued' },
      data: { status: 'running', startedAt: new Date(), attempts: { increment: 1 } },
    });
    if (res.count === 1) return getJob(db, next.id);
  }
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
    if (job.recordingId !== null) await db.prisma.recording.updateMany({ where: { id: job.recordingId }, data: { status: 'cancelled' } });
  } else if (job.status === 'running') {
    await db.prisma.job.update({ where: { id }, data: { cancelRequested: true, message: 'cancelling…' } });
  }
  return getJob(db, id);
}
