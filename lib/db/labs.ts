import type { Db } from './client.ts';
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

export interface LabRecord {
  id: number;
  name: string;
  task: MemoryTask;
  config: MemoryLabConfig;
  cells: LabCell[];
  createdAt: Date;
}

type LabRow = { id: number; name: string; task: string; config: string; cells: string; createdAt: Date };

function toRecord(row: LabRow): LabRecord {
  const config = parseMemoryLabConfig(JSON.parse(row.config));
  return { id: row.id, name: row.name, task: config.task, config, cells: JSON.parse(row.cells) as LabCell[], createdAt: row.createdAt };
}

export async function insertLab(db: Db, name: string, config: MemoryLabConfig, cells: LabCell[]): Promise<LabRecord> {
  return toRecord(await db.prisma.memoryLab.create({ data: { name, task: config.task, config: JSON.stringify(config), cells: JSON.stringify(cells) } }));
}

export async function getLab(db: Db, id: number): Promise<LabRecord> {
  const row = await db.prisma.memoryLab.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('memory lab', id);
  return toRecord(row);
}

export async function listLabs(db: Db): Promise<LabRecord[]> {
  return (await db.prisma.memoryLab.findMany({ orderBy: { id: 'desc' } })).map(toRecord);
}

export async function saveLabCells(db: Db, id: number, cells: LabCell[]): Promise<void> {
  await db.prisma.memoryLab.update({ where: { id }, data: { cells: JSON.stringify(cells) } });
}
