import type { Db } from '../db/client.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Actor } from './actor.ts';
import type { Visibility, VisibleWhere } from '../db/ownership.ts';

/**
 * Who may see and change what, in shared mode. Every corpus, run, recording, memory lab, label
 * track and job has an owner (null: made in local mode, or the built-in demo) and a visibility:
 * - private (the default): its owner only;
 * - shared: its owner, and read-only the users its Share rows name;
 * - public: its owner, and read-only every logged-in user.
 * Only the owner changes, deletes or shares it. A job is its owner's alone (an admin may also
 * see and cancel it, from the admin page). Something an actor may not see does not exist for
 * them: the same 404 as an unknown id, and it is never listed. Local mode: everything, to the
 * one person at the machine.
 */
export type EntityKind = 'corpus' | 'run' | 'recording' | 'lab' | 'labels' | 'job';
export type AccessLevel = 'read' | 'write';
export const VISIBILITIES: readonly [Visibility, ...Visibility[]] = ['private', 'shared', 'public'];
export type { Visibility };

/** The name an unknown id of each kind has in its 404 (the same words as the loaders'). */
export const ENTITY_NAMES: Record<EntityKind, string> = {
  corpus: 'corpus', run: 'run', recording: 'recording', lab: 'memory lab', labels: 'label track', job: 'job',
};

/** The Share column naming an item of each shareable kind. */
export const SHARE_COLUMN = { corpus: 'corpusId', run: 'runId', recording: 'recordingId', lab: 'labId', labels: 'labelsId' } as const;
export type ShareableKind = keyof typeof SHARE_COLUMN;

/** Matches no row: ids start at 1. */
const NOTHING: VisibleWhere = { id: -1 };

/**
 * The rows an actor may see, as a Prisma `where` fragment for the kind's model: {} in local mode,
 * nothing for an anonymous request.
 */
export function visibleWhere(actor: Actor, kind: EntityKind): VisibleWhere {
  if (actor.kind === 'local') return {};
  if (actor.kind === 'anonymous') return NOTHING;
  const uid = actor.user.id;
  if (kind === 'job') return actor.user.isAdmin ? {} : { ownerId: uid };
  return { OR: [{ ownerId: uid }, { visibility: 'public' }, { visibility: 'shared', shares: { some: { userId: uid } } }] };
}

/** Whether an actor owns a listed item (local mode: everything), to offer changing it. */
export function ownsItem(actor: Actor, item: { owner: { id: number } | null }): boolean {
  if (actor.kind === 'local') return true;
  return actor.kind === 'user' && item.owner?.id === actor.user.id;
}

/** The owner to store on something an actor makes: null in local mode. */
export function ownerIdOf(actor: Actor): number | null {
  return actor.kind === 'user' ? actor.user.id : null;
}

interface OwnedRow {
  ownerId: number | null;
  visibility: string;
}

async function ownedRow(db: Db, kind: EntityKind, id: number): Promise<OwnedRow | null> {
  const select = { ownerId: true, visibility: true } as const;
  const where = { id };
  switch (kind) {
    case 'corpus': return db.prisma.corpus.findUnique({ where, select });
    case 'run': return db.prisma.run.findUnique({ where, select });
    case 'recording': return db.prisma.recording.findUnique({ where, select });
    case 'lab': return db.prisma.memoryLab.findUnique({ where, select });
    case 'labels': return db.prisma.corpusLabels.findUnique({ where, select });
    case 'job': return db.prisma.job.findUnique({ where, select });
  }
}

async function sharedWith(db: Db, kind: ShareableKind, id: number, userId: number): Promise<boolean> {
  return (await db.prisma.share.count({ where: { userId, [SHARE_COLUMN[kind]]: id } })) > 0;
}

/** An item's owner (null: none), or a 404 when there is no such item. */
export async function ownerOf(db: Db, kind: EntityKind, id: number): Promise<number | null> {
  const row = await ownedRow(db, kind, id);
  if (!row) throw new NotFoundError(ENTITY_NAMES[kind], id);
  return row.ownerId;
}

/** What an actor may do with one row: nothing, read it, or also change it. */
export async function accessTo(db: Db, actor: Actor, kind: EntityKind, id: number): Promise<'none' | 'read' | 'write'> {
  if (actor.kind === 'local') return 'write';
  if (actor.kind === 'anonymous') return 'none';
  const row = await ownedRow(db, kind, id);
  if (!row) return 'none';
  const user = actor.user;
  if (row.ownerId === user.id) return 'write';
  if (kind === 'job') return user.isAdmin ? 'write' : 'none';
  if (row.visibility === 'public') return 'read';
  if (row.visibility === 'shared' && (await sharedWith(db, kind, id, user.id))) return 'read';
  return 'none';
}

/**
 * Throws unless the actor may read (or change) the row: a 404 with an unknown id's very message
 * when they may not see it, a 403 when they see it read-only and asked to change it.
 */
export async function requireAccess(db: Db, actor: Actor, input: { kind: EntityKind; id: number; level: AccessLevel }): Promise<void> {
  const has = await accessTo(db, actor, input.kind, input.id);
  if (has === 'none') throw new NotFoundError(ENTITY_NAMES[input.kind], input.id);
  if (input.level === 'write' && has === 'read') {
    throw new ForbiddenError(`${ENTITY_NAMES[input.kind]} ${input.id} is shared with you read-only: only its owner can change, delete or share it`);
  }
}
