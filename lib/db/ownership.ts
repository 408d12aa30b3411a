/**
 * The owner and visibility every corpus, run, recording, lab and label track carries (the rules:
 * lib/auth/access.ts). Summaries show them so a view can say whose an item is and offer
 * sharing and deleting to its owner only.
 */
export type Visibility = 'private' | 'shared' | 'public';

export interface Ownership {
  /** null: made in local mode, or the built-in demo. */
  owner: { id: number; email: string } | null;
  visibility: Visibility;
}

/** Prisma's filter on ownerId, visibility and shares for one model ({}: every row). */
export type VisibleWhere = Record<string, unknown>;

/** What a summary query selects for ownership. */
export const ownershipSelect = { visibility: true, owner: { select: { id: true, email: true } } } as const;

export function toOwnership(row: { visibility: string; owner: { id: number; email: string } | null }): Ownership {
  const visibility = row.visibility === 'shared' || row.visibility === 'public' ? row.visibility : 'private';
  return { owner: row.owner ? { id: row.owner.id, email: row.owner.email } : null, visibility };
}
