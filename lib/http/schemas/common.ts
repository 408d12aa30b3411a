import { z } from 'zod';

/** Query integers (query values arrive as text). */
export const int = (min: number, max = 1e12) => z.coerce.number().int().min(min).max(max);

/** 0/1/true/false as a boolean. */
export const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** Comma-separated cell indices, each once (a repeated cell would be read and sent again). */
export const cellList = z
  .string()
  .max(40_000)
  .regex(/^\d+(,\d+)*$/, 'cells must be comma-separated cell indices, e.g. 3,17,40')
  .transform((s) => [...new Set(s.split(',').map(Number))]);

/** Route ids, for the contract (lib/http/params.ts parses them). */
export const idParam = z.coerce.number().int().positive();
