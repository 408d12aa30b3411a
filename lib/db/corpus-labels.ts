import type { Db } from './client.ts';
import { ownershipSelect, toOwnership, type Ownership, type VisibleWhere } from './ownership.ts';
import { getCorpusSummary } from './corpora.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.ts';
import { buildLabelTrack, type LabelTrack, type LabelUpload } from '../corpus/label-track.ts';

export interface LabelTrackSummary extends Ownership {
  id: number;
  corpusId: number;
  name: string;
  labels: number;
}

/** Most label tracks a corpus may hold: each stores 2 bytes per corpus character. */
export const MAX_LABEL_TRACKS = 16;

/** Validates an upload against its corpus and stores it; nothing is stored when it is refused. */
export async function addLabelTrack(db: Db, corpusId: number, upload: LabelUpload, ownerId: number | null = null): Promise<LabelTrackSummary> {
  const corpus = await getCorpusSummary(db, corpusId);
  let track: LabelTrack;
  try {
    track = buildLabelTrack(upload, corpus.chars);
  } catch (err) {
    throw new BadRequestError(err instanceof Error ? err.message : String(err), 'spans');
  }
  return storeLabelTrack(db, corpusId, { name: upload.name, ...track }, ownerId);
}

/**
 * Stores a built track (one label index per corpus position), within the cap per corpus and
 * owner (a reader of a public corpus cannot use up its owner's tracks).
 */
export async function storeLabelTrack(db: Db, corpusId: number, track: LabelTrack & { name: string }, ownerId: number | null = null): Promise<LabelTrackSummary> {
  const held = await db.prisma.corpusLabels.count({ where: { corpusId, ownerId } });
  if (held >= MAX_LABEL_TRACKS) throw new ConflictError(`corpus ${corpusId} already holds ${held} of your label tracks, the most one may keep on a corpus: delete one first`);
  const row = await db.prisma.corpusLabels.create({
    data: { corpusId, name: track.name, names: JSON.stringify(track.names), data: new Uint8Array(track.tags.slice().buffer), ownerId },
    include: { owner: ownershipSelect.owner },
  });
  return { ...toOwnership(row), id: row.id, corpusId, name: row.name, labels: track.names.length - 1 };
}

/** A corpus's label tracks that `visible` lets through (lib/auth/access.ts visibleWhere), oldest first. */
export async function listLabelTracks(db: Db, corpusId: number, visible: VisibleWhere = {}): Promise<LabelTrackSummary[]> {
  const rows = await db.prisma.corpusLabels.findMany({ where: { corpusId, ...visible }, orderBy: { id: 'asc' }, select: { id: true, name: true, names: true, ...ownershipSelect } });
  return rows.map((r) => ({ ...toOwnership(r), id: r.id, corpusId, name: r.name, labels: (JSON.parse(r.names) as string[]).length - 1 }));
}

export async function loadLabelTrack(db: Db, corpusId: number, id: number): Promise<LabelTrack & { name: string }> {
  const row = await db.prisma.corpusLabels.findUnique({ where: { id } });
  if (!row || row.corpusId !== corpusId) throw new NotFoundError('label track', id);
  const bytes = row.data.slice();
  return { name: row.name, names: JSON.parse(row.names) as string[], tags: new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2) };
}
