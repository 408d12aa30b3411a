import type { Actor } from '../auth/actor.ts';
import { requireAccess, type EntityKind } from '../auth/access.ts';
import type { Db } from '../db/client.ts';
import { NotFoundError } from '../errors.ts';
import { ENDPOINTS, type Endpoint } from './api-contract.ts';

/** The kind of item a path's resource names: /api/recordings/{id}/... is a recording. */
const RESOURCE_KINDS: Record<string, EntityKind> = {
  corpora: 'corpus', runs: 'run', recordings: 'recording', labs: 'lab', labels: 'labels', jobs: 'job',
};

interface CompiledEndpoint {
  endpoint: Endpoint;
  pattern: RegExp;
  kind: EntityKind | null;
}

const compiled: CompiledEndpoint[] = ENDPOINTS.map((endpoint) => ({
  endpoint,
  pattern: new RegExp(`^${endpoint.path.replace(/\{id\}/g, '([^/]+)')}/?$`),
  kind: RESOURCE_KINDS[endpoint.path.split('/')[2] ?? ''] ?? null,
}));

/** The contract's entry for a request, with its path id, or null for a route it does not list. */
export function endpointOf(method: string, pathname: string): { endpoint: Endpoint; kind: EntityKind | null; id: number | null } | null {
  for (const c of compiled) {
    if (c.endpoint.method !== method) continue;
    const m = c.pattern.exec(pathname);
    if (!m) continue;
    const id = m[1] !== undefined ? Number(m[1]) : null;
    return { endpoint: c.endpoint, kind: c.kind, id };
  }
  return null;
}

/**
 * The ownership check every route passes before it runs, from the one contract table: the item
 * its path names must be readable (or, for `access: 'write'`, the actor's own). A malformed id is
 * left to the route's own parsing (a 400). Outside local mode a route the contract does not list
 * is refused, so a route added without its entry grants nothing.
 */
export async function checkEndpointAccess(db: () => Promise<Db>, req: Request, actor: Actor): Promise<void> {
  if (actor.kind === 'local') return;
  const pathname = new URL(req.url).pathname;
  const found = endpointOf(req.method.toUpperCase(), pathname);
  // The API's own description is not an entry of itself.
  if (!found && pathname === '/api/openapi.json') return;
  if (!found) throw new NotFoundError('API route', `${req.method} ${pathname}`);
  const { endpoint, kind, id } = found;
  if (endpoint.access === undefined) return;
  if (kind === null) throw new Error(`the contract gives ${endpoint.path} an access level but its resource names no kind of item`);
  if (id === null || !Number.isInteger(id) || id < 1) return;
  await requireAccess(await db(), actor, { kind, id, level: endpoint.access });
}
