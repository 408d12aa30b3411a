import type { Db } from './client.ts';
import { ownershipSelect, toOwnership, type Ownership, type VisibleWhere } from './ownership.ts';
import { NotFoundError } from '../errors.ts';
import { parseMemoryLabConfig, type MemoryLabConfig, type MemoryTask } from '../train/memory-lab-config.ts';

/** One (architecture, gap) cell of a memory lab; accuracy is filled in once its run completed. */
export interface LabCell {
  arch: string;
  gap: number;
  corpusId: number;
  runId: number;
  accuracy?: number;
  targets?: number;
  /** The checkpoint step the accuracy was measured at. */
  step?: number;
}

export interface LabRecord extends Ownership {
  id: number;
  name: string;
  task: MemoryTask;
  config: MemoryLabConfig;
  cells: LabCell[];
  createdAt: Date;
}

type LabRow = { id: number; name: string; task: string; config: string; cells: string; createdAt: Date; visibility: string; owner: { id: number; email: string } | null };
const include = { owner: ownershipSelect.owner } as const;

function toRecord(row: LabRow): LabRecord {
  const config = parseMemoryLabConfig(JSON.parse(row.config));
  return { ...toOwnership(row), id: row.id, name: row.name, task: config.task, config, cells: JSON.parse(row.cells) as LabCell[], createdAt: row.createdAt };
}

export async function insertLab(db: Db, input: { name: string; config: MemoryLabConfig; cells: LabCell[]; ownerId?: number | null }): Promise<LabRecord> {
  const { name, config, cells } = input;
  return toRecord(await db.prisma.memoryLab.create({ data: { name, task: config.task, config: JSON.stringify(config), cells: JSON.stringify(cells), ownerId: input.ownerId ?? null }, include }));
}

export async function getLab(db: Db, id: number): Promise<LabRecord> {
  const row = await db.prisma.memoryLab.findUnique({ where: { id }, include });
  if (!row) throw new NotFoundError('memory lab', id);
  return toRecord(row);
}

/** The labs `visible` lets through (lib/auth/access.ts visibleWhere; {}: all), newest first. */
export async function listLabs(db: Db, visible: VisibleWhere = {}): Promise<LabRecord[]> {
  return (await db.prisma.memoryLab.findMany({ where: visible, include, orderBy: { id: 'desc' } })).map(toRecord);
}

export async function saveLabCells(db: Db, id: number, cells: LabCell[]): Promise<void> {
  await db.prisma.memoryLab.update({ where: { id }, data: { cells: JSON.stringify(cells) } });
}
