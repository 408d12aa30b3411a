import type { Actor } from '../auth/actor.ts';
import { requireAccess, visibleWhere } from '../auth/access.ts';
import type { Db } from '../db/client.ts';
import { listLabelTracks } from '../db/corpus-labels.ts';
import { getRecording } from '../db/recordings.ts';

/**
 * The annotation track a match's strips may read for this actor: a label track named by id must
 * be readable by them (else the 404 of an unknown track); a word corpus's default is the first
 * label track they can see, or null (none) rather than someone else's private one.
 */
export async function annotationTrackFor(db: Db, input: { actor: Actor; recordingId: number; track: 'pos' | number | undefined; strips: boolean }): Promise<'pos' | number | null | undefined> {
  if (typeof input.track === 'number') {
    await requireAccess(db, input.actor, { kind: 'labels', id: input.track, level: 'read' });
    return input.track;
  }
  if (input.track === 'pos' || !input.strips) return input.track;
  const rec = await getRecording(db, input.recordingId);
  if (rec.unit !== 'word') return undefined;
  const tracks = await listLabelTracks(db, rec.corpusId, visibleWhere(input.actor, 'labels'));
  return tracks[0]?.id ?? null;
}
