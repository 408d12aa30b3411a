import type { Db } from './client.ts';
import { NotFoundError, ConflictError } from '../errors.ts';
import { forgetTracks } from '../search/track-store.ts';

/**
 * Deleting what a user made: a recording, a run (its checkpoints and recordings), a corpus (its
 * runs, recordings and label tracks). Work still in progress is refused (409, cancel it first),
 * so nothing a job is writing disappears under it. Rows go through the schema's cascades; the
 * bulk state tables are cleared first with single statements.
 */
const ACTIVE = ['queued', 'running'];

async function activeJob(db: Db, where: { runId?: { in: number[] }; recordingId?: { in: number[] } }): Promise<{ id: number; kind: string } | null> {
  return db.prisma.job.findFirst({ where: { ...where, status: { in: ACTIVE } }, select: { id: true, kind: true } });
}

async function dropRecordingData(db: Db, recordingIds: number[]): Promise<void> {
  for (const id of recordingIds) {
    for (const table of ['StateChunk', 'CellTrack', 'CellColumn', 'NeuronStat', 'SaliencyChunk']) await db.raw.run(`DELETE FROM "${table}" WHERE "recordingId" = ?`, [id]);
    forgetTracks(id);
  }
}

export async function deleteRecording(db: Db, id: number): Promise<void> {
  const rec = await db.prisma.recording.findUnique({ where: { id }, select: { id: true } });
  if (!rec) throw new NotFoundError('recording', id);
  const job = await activeJob(db, { recordingId: { in: [id] } });
  if (job) throw new ConflictError(`recording ${id} is being made (job ${job.id}): cancel it first`);
  await dropRecordingData(db, [id]);
  await db.prisma.job.deleteMany({ where: { recordingId: id } });
  await db.prisma.recording.delete({ where: { id } });
}

export async function deleteRun(db: Db, id: number): Promise<void> {
  const run = await db.prisma.run.findUnique({ where: { id }, select: { id: true } });
  if (!run) throw new NotFoundError('run', id);
  const recordings = (await db.prisma.recording.findMany({ where: { runId: id }, select: { id: true } })).map((r) => r.id);
  const job = await activeJob(db, { runId: { in: [id] } });
  if (job) throw new ConflictError(`run ${id} has a ${job.kind} job in progress (job ${job.id}): cancel it first`);
  await dropRecordingData(db, recordings);
  await db.prisma.run.delete({ where: { id } });
}

export async function deleteCorpus(db: Db, id: number): Promise<void> {
  const corpus = await db.prisma.corpus.findUnique({ where: { id }, select: { id: true } });
  if (!corpus) throw new NotFoundError('corpus', id);
  const runs = (await db.prisma.run.findMany({ where: { corpusId: id }, select: { id: true } })).map((r) => r.id);
  const recordings = (await db.prisma.recording.findMany({ where: { OR: [{ corpusId: id }, { runId: { in: runs } }] }, select: { id: true } })).map((r) => r.id);
  const job = (await activeJob(db, { runId: { in: runs } })) ?? (await activeJob(db, { recordingId: { in: recordings } }));
  if (job) throw new ConflictError(`corpus ${id} has a ${job.kind} job in progress (job ${job.id}): cancel it first`);
  await dropRecordingData(db, recordings);
  await db.prisma.corpus.delete({ where: { id } });
}
