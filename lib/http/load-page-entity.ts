import { notFound } from 'next/navigation';
import type { Actor } from '../auth/actor.ts';
import { accessTo, type EntityKind } from '../auth/access.ts';
import { getDb, type Db } from '../db/client.ts';
import { NotFoundError } from '../errors.ts';
import { pageActor } from './page-actor.ts';

/**
 * For detail pages (/corpora/ID, /runs/ID, /recordings/ID, /labs/ID): parses the route id, checks
 * the viewer may read the item (lib/auth/access.ts) and loads it, answering Next's 404 page for
 * a malformed, unknown or foreign private id alike. `canChange`: the viewer owns it (local mode:
 * always), so the page offers deleting and sharing.
 */
export async function loadPageEntity<T>(params: Promise<{ id: string }>, input: { kind: EntityKind; load: (db: Db, id: number) => Promise<T> }): Promise<{ db: Db; id: number; entity: T; actor: Actor; canChange: boolean }> {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id < 1) notFound();
  const db = await getDb();
  const actor = await pageActor();
  const access = await accessTo(db, actor, input.kind, id);
  if (access === 'none') notFound();
  const entity = await input.load(db, id).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  return { db, id, entity, actor, canChange: access === 'write' };
}
