import { notFound } from 'next/navigation';
import { getDb, type Db } from '../db/client.ts';
import { NotFoundError } from '../errors.ts';

/**
 * For detail pages (/corpora/ID, /runs/ID, /recordings/ID): parses the route id and loads the
 * entity, answering Next's 404 page for a malformed or unknown id.
 */
export async function loadPageEntity<T>(params: Promise<{ id: string }>, load: (db: Db, id: number) => Promise<T>): Promise<{ db: Db; id: number; entity: T }> {
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id < 1) notFound();
  const db = await getDb();
  const entity = await load(db, id).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  return { db, id, entity };
}
