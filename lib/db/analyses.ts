import type { Db } from './client.ts';
import { getJob, type JobStatus } from './jobs.ts';
import { NotFoundError } from '../errors.ts';

/**
 * Long analyses of a recording's model (issue 13), each queued as an `analysis` job for the
 * worker (lib/jobs/analysis-job.ts) and kept with its result, so that its page is a permalink.
 */
export type AnalysisKind = 'causal-rank';

export interface AnalysisView {
  id: number;
  recordingId: number;
  kind: AnalysisKind;
  params: Record<string, unknown>;
  /** The job's, or `completed` once a result is stored. */
  status: JobStatus;
  progress: number;
  message: string;
  error: string | null;
  jobId: number | null;
  result: Record<string, unknown> | null;
  createdAt: Date;
}

export async function createAnalysis(db: Db, input: { recordingId: number; kind: AnalysisKind; params: Record<string, unknown>; ownerId?: number | null }): Promise<{ analysisId: number; jobId: number }> {
  return db.prisma.$transaction(async (tx) => {
    const analysis = await tx.analysis.create({ data: { recordingId: input.recordingId, kind: input.kind, params: JSON.stringify(input.params) } });
    const job = await tx.job.create({
      data: { kind: 'analysis', status: 'queued', payload: JSON.stringify({ analysisId: analysis.id }), recordingId: input.recordingId, ownerId: input.ownerId ?? null, message: `${input.kind}: queued` },
    });
    await tx.analysis.update({ where: { id: analysis.id }, data: { jobId: job.id } });
    return { analysisId: analysis.id, jobId: job.id };
  });
}

export async function getAnalysis(db: Db, id: number): Promise<AnalysisView> {
  const row = await db.prisma.analysis.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('analysis', id);
  const job = row.jobId !== null ? await getJob(db, row.jobId).catch(() => null) : null;
  return {
    id: row.id,
    recordingId: row.recordingId,
    kind: row.kind as AnalysisKind,
    params: JSON.parse(row.params) as Record<string, unknown>,
    status: row.result !== null ? 'completed' : (job?.status ?? 'failed'),
    progress: row.result !== null ? 1 : (job?.progress ?? 0),
    message: job?.message ?? '',
    error: job?.error ?? null,
    jobId: row.jobId,
    result: row.result !== null ? (JSON.parse(row.result) as Record<string, unknown>) : null,
    createdAt: row.createdAt,
  };
}

/** A recording's analyses, newest first, without their results. */
export async function listAnalyses(db: Db, recordingId: number): Promise<Omit<AnalysisView, 'result'>[]> {
  const rows = await db.prisma.analysis.findMany({ where: { recordingId }, orderBy: { id: 'desc' }, select: { id: true } });
  const out = [];
  for (const r of rows) {
    const { result: _result, ...rest } = await getAnalysis(db, r.id);
    out.push(rest);
  }
  return out;
}

export async function storeAnalysisResult(db: Db, id: number, result: unknown): Promise<void> {
  await db.prisma.analysis.update({ where: { id }, data: { result: JSON.stringify(result) } });
}
