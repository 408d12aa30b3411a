import type { Db } from '../db/client.ts';
import { NotFoundError } from '../errors.ts';

export interface Adopted {
  corpora: number;
  runs: number;
  recordings: number;
  labs: number;
  labelTracks: number;
  jobs: number;
}

/**
 * Gives a user everything owned by nobody that is not public: what was made in local mode
 * before the server was shared, which shared mode otherwise shows to no one. Public items owned
 * by nobody (the built-in demo) stay everyone's to read and no one's to change.
 */
export async function adoptUnowned(db: Db, email: string): Promise<Adopted> {
  const user = await db.prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } });
  if (!user) throw new NotFoundError('user', email);
  const where = { ownerId: null, visibility: { not: 'public' } };
  const data = { ownerId: user.id };
  return db.prisma.$transaction(async (tx) => ({
    corpora: (await tx.corpus.updateMany({ where, data })).count,
    runs: (await tx.run.updateMany({ where, data })).count,
    recordings: (await tx.recording.updateMany({ where, data })).count,
    labs: (await tx.memoryLab.updateMany({ where, data })).count,
    labelTracks: (await tx.corpusLabels.updateMany({ where, data })).count,
    jobs: (await tx.job.updateMany({ where: { ownerId: null }, data })).count,
  }));
}
