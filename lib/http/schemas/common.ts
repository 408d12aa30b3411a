import { z } from 'zod';
import { VISIBILITIES } from '../../auth/access.ts';

/** Query integers (query values arrive as text; typed as numbers, as a client sends them). */
export const int = (min: number, max = 1e12) => z.coerce.number<number>().int().min(min).max(max);

/** 0/1/true/false as a boolean. */
export const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Comma-separated cell indices, each once (a repeated cell would be read and sent again). */
export const cellList = z
  .string()
  .max(40_000)
  .regex(/^\d+(,\d+)*$/, 'cells must be comma-separated cell indices, e.g. 3,17,40')
  .transform((s) => [...new Set(s.split(',').map(Number))]);

/** Route ids, for the contract (lib/http/params.ts parses them). */
export const idParam = z.coerce.number<number>().int().positive();

// ---- What the routes answer (the response schemas are strict: a field the contract does not
// name fails the response check, lib/http/respond.ts, so the contract cannot drift silently).

/**
 * A date as JSON carries it (a Date's toJSON: ISO 8601 in UTC). Branded, so that a route may hand
 * over a Date where the contract says isoDate (lib/http/respond.ts Serialized) while a client
 * reads a string.
 */
export const isoDate = z.iso.datetime().brand<'IsoDate'>().describe('ISO 8601 date and time, UTC');
export type IsoDate = z.output<typeof isoDate>;

/** Whose an item is and who may read it (lib/auth/access.ts); owner null: local mode's or the demo. */
export const ownershipFields = {
  owner: z.strictObject({ id: z.number().int(), email: z.string() }).nullable(),
  visibility: z.enum(VISIBILITIES),
};

/** DELETE of any item. */
export const deletedResponseSchema = z.strictObject({ deleted: z.number().int() });

/** A finite number or, where a value was not recorded or is not a number, null (JSON has no NaN). */
export const maybeNumber = z.number().nullable();
