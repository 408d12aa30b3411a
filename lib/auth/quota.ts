import type { Db } from '../db/client.ts';
import { PayloadTooLargeError, TooManyRequestsError } from '../errors.ts';
import { recordedLayers } from '../record/recorded-layers.ts';
import { recordingSize } from '../search/recording-size.ts';
import { gb, positiveEnv, type Env } from '../util/limits.ts';

/**
 * Per-user quotas in shared mode, so one user cannot fill the lab's disk or queue: storage
 * (CELLSCOPE_USER_QUOTA_GB, default 50) and queued or running jobs (CELLSCOPE_USER_MAX_JOBS,
 * default 8). Nothing owned by nobody (local mode, the demo) counts or is limited.
 */

export function userQuotaBytes(env: Env = process.env): number {
  return positiveEnv(env, 'CELLSCOPE_USER_QUOTA_GB', 50) * 1024 ** 3;
}

export function userMaxJobs(env: Env = process.env): number {
  return Math.floor(positiveEnv(env, 'CELLSCOPE_USER_MAX_JOBS', 8));
}

/** What a user's items take, in bytes, by kind. Estimated from their shapes, not by reading them. */
export interface StorageUse {
  corpora: number;
  labelTracks: number;
  checkpoints: number;
  recordings: number;
  total: number;
}

export async function storageOf(db: Db, userId: number): Promise<StorageUse> {
  const [corpora, tracks, recordings, checkpoints] = await Promise.all([
    db.prisma.corpus.aggregate({ where: { ownerId: userId }, _sum: { chars: true } }),
    db.prisma.corpusLabels.findMany({ where: { ownerId: userId }, select: { corpus: { select: { chars: true } } } }),
    db.prisma.recording.findMany({ where: { ownerId: userId }, select: { start: true, end: true, layers: true, hidden: true, quantities: true, stack: true } }),
    // A blob's length is in its row header (SQLite) or TOAST header (PostgreSQL): no data is read.
    db.raw.query<{ bytes: number | string | null }>(
      'SELECT SUM(LENGTH(c."weights") + COALESCE(LENGTH(c."optimizer"), 0)) AS bytes FROM "Checkpoint" c JOIN "Run" r ON r."id" = c."runId" WHERE r."ownerId" = ?',
      [userId],
    ),
  ]);
  const use = {
    // A character is about a byte of UTF-8 text, plus its 4-byte token id when cached.
    corpora: corpora._sum.chars ?? 0,
    labelTracks: tracks.reduce((a, t) => a + 2 * t.corpus.chars, 0),
    checkpoints: Number(checkpoints[0]?.bytes ?? 0),
    recordings: recordings.reduce((a, r) => a + recordingSize(r.end - r.start, recordedLayers({ ...r, quantities: JSON.parse(r.quantities) as string[], kind: '' })).total, 0),
  };
  return { ...use, total: use.corpora + use.labelTracks + use.checkpoints + use.recordings };
}

/**
 * Throws a 413 saying how much is used and what to do when `bytes` more would take the user past
 * their quota. `what` names the thing asked for ("this recording").
 */
export async function requireStorage(db: Db, input: { ownerId: number | null; bytes: number; what: string }, env: Env = process.env): Promise<void> {
  if (input.ownerId === null) return;
  const quota = userQuotaBytes(env);
  const used = (await storageOf(db, input.ownerId)).total;
  if (used + input.bytes > quota) {
    throw new PayloadTooLargeError(
      `${input.what} needs about ${gb(input.bytes)}, and you already use ${gb(used)} of your ${gb(quota)} quota (CELLSCOPE_USER_QUOTA_GB): delete recordings or runs you no longer need, or ask an admin for more`,
      'quota',
    );
  }
}

/** Throws a 429 when `count` more jobs (default 1) would pass the user's most queued or running. */
export async function requireJobSlots(db: Db, input: { ownerId: number | null; count?: number }, env: Env = process.env): Promise<void> {
  if (input.ownerId === null) return;
  const most = userMaxJobs(env);
  const count = input.count ?? 1;
  const busy = await db.prisma.job.count({ where: { ownerId: input.ownerId, status: { in: ['queued', 'running'] } } });
  if (busy + count > most) {
    throw new TooManyRequestsError(`you have ${busy} jobs queued or running and this needs ${count} more, past the ${most} one user may have (CELLSCOPE_USER_MAX_JOBS): wait for some to finish, or cancel some`, 30);
  }
}
