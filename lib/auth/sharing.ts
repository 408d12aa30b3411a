import type { Db, Prisma } from '../db/client.ts';
import { BadRequestError } from '../errors.ts';
import { SHARE_COLUMN, type ShareableKind, type Visibility } from './access.ts';

export interface Sharing {
  visibility: Visibility;
  /** The users a `shared` item is shown to, by e-mail, sorted. */
  users: string[];
}

type Models = Pick<Prisma, 'corpus' | 'run' | 'recording' | 'memoryLab' | 'corpusLabels'>;

async function updateVisibility(m: Models, kind: ShareableKind, id: number, visibility: Visibility): Promise<void> {
  const args = { where: { id }, data: { visibility } };
  switch (kind) {
    case 'corpus': await m.corpus.update(args); return;
    case 'run': await m.run.update(args); return;
    case 'recording': await m.recording.update(args); return;
    case 'lab': await m.memoryLab.update(args); return;
    case 'labels': await m.corpusLabels.update(args); return;
  }
}

async function visibilityOf(m: Models, kind: ShareableKind, id: number): Promise<Visibility> {
  const args = { where: { id }, select: { visibility: true } } as const;
  const row = kind === 'corpus' ? await m.corpus.findUnique(args)
    : kind === 'run' ? await m.run.findUnique(args)
      : kind === 'recording' ? await m.recording.findUnique(args)
        : kind === 'lab' ? await m.memoryLab.findUnique(args)
          : await m.corpusLabels.findUnique(args);
  return (row?.visibility ?? 'private') as Visibility;
}

/** An item's visibility and the users it is shared with. The caller has checked it is the owner. */
export async function getSharing(db: Db, kind: ShareableKind, id: number): Promise<Sharing> {
  const rows = await db.prisma.share.findMany({ where: { [SHARE_COLUMN[kind]]: id }, select: { user: { select: { email: true } } } });
  return { visibility: await visibilityOf(db.prisma, kind, id), users: rows.map((r) => r.user.email).sort() };
}

/**
 * Sets who may read an item: its visibility, and for `shared` the users named (replacing the
 * ones before; another visibility clears them). Every e-mail must name an account, else a 400
 * naming it and nothing changes. The caller has checked it is the owner.
 */
export async function setSharing(db: Db, input: { kind: ShareableKind; id: number; ownerId: number | null; visibility: Visibility; users?: readonly string[] }): Promise<Sharing> {
  const emails = [...new Set(input.visibility === 'shared' ? (input.users ?? []) : [])];
  const users = emails.length ? await db.prisma.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } }) : [];
  const unknown = emails.filter((e) => !users.some((u) => u.email === e));
  if (unknown.length) throw new BadRequestError(`no account has the e-mail ${unknown.map((e) => JSON.stringify(e)).join(', ')}: an admin adds users with cellscope user add`, 'users');
  const others = users.filter((u) => u.id !== input.ownerId);
  const column = SHARE_COLUMN[input.kind];
  await db.prisma.$transaction(async (tx) => {
    await updateVisibility(tx, input.kind, input.id, input.visibility);
    await tx.share.deleteMany({ where: { [column]: input.id } });
    if (others.length) await tx.share.createMany({ data: others.map((u) => ({ userId: u.id, [column]: input.id })) });
  });
  return getSharing(db, input.kind, input.id);
}
