import type { Db } from './client.ts';
import { ownershipSelect, toOwnership, type Ownership, type VisibleWhere } from './ownership.ts';
import { NotFoundError } from '../errors.ts';
import { parseTrainConfig, type TrainConfig } from '../train/config.ts';
import { latestValBpc } from './run-metrics.ts';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunSummary extends Ownership {
  id: number;
  name: string;
  corpusId: number;
  corpusName: string;
  arch: string;
  config: TrainConfig;
  status: RunStatus;
  step: number;
  /** The latest validation bits per character measured (the history: lib/db/run-metrics.ts). */
  lastValBpc: number | null;
  /** An imported model's vocabulary (characters by token id); null: the corpus's (lib/db/run-vocab.ts). */
  vocab: string[] | null;
  createdAt: Date;
  updatedAt: Date;
}

const include = { corpus: { select: { name: true } }, owner: ownershipSelect.owner } as const;

type RunRow = {
  id: number; name: string; corpusId: number; arch: string; config: string; status: string; step: number;
  vocab: string | null; createdAt: Date; updatedAt: Date; corpus: { name: string }; visibility: string; owner: { id: number; email: string } | null;
};

function toSummary(row: RunRow, lastValBpc: number | null): RunSummary {
  return {
    ...toOwnership(row),
    id: row.id,
    name: row.name,
    corpusId: row.corpusId,
    corpusName: row.corpus.name,
    arch: row.arch,
    config: parseTrainConfig(JSON.parse(row.config)),
    status: row.status as RunStatus,
    step: row.step,
    lastValBpc,
    vocab: row.vocab === null ? null : (JSON.parse(row.vocab) as string[]),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The runs `visible` lets through (lib/auth/access.ts visibleWhere; {}: all), newest first. */
export async function listRuns(db: Db, visible: VisibleWhere = {}): Promise<RunSummary[]> {
  const rows = await db.prisma.run.findMany({ where: visible, include, orderBy: { id: 'desc' } });
  const val = await latestValBpc(db, rows.map((r) => r.id));
  return rows.map((r) => toSummary(r, val.get(r.id) ?? null));
}

export async function getRun(db: Db, id: number): Promise<RunSummary> {
  const row = await db.prisma.run.findUnique({ where: { id }, include });
  if (!row) throw new NotFoundError('run', id);
  return toSummary(row, (await latestValBpc(db, [id])).get(id) ?? null);
}

export interface CheckpointSummary {
  id: number;
  runId: number;
  step: number;
  trainLoss: number;
  valBpc: number | null;
  createdAt: Date;
}

export async function listCheckpoints(db: Db, runId: number): Promise<CheckpointSummary[]> {
  return db.prisma.checkpoint.findMany({
    where: { runId },
    select: { id: true, runId: true, step: true, trainLoss: true, valBpc: true, createdAt: true },
    orderBy: { step: 'asc' },
  });
}

export async function latestCheckpoint(db: Db, runId: number) {
  return db.prisma.checkpoint.findFirst({ where: { runId }, orderBy: { step: 'desc' } });
}

export async function getCheckpoint(db: Db, id: number) {
  const row = await db.prisma.checkpoint.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('checkpoint', id);
  return row;
}
