import { z } from 'zod';

/** Route ids: positive integers. A malformed id is a 400 naming the parameter. */
export const idParamSchema = z.coerce.number().int().positive();

export async function parseId(params: Promise<Record<string, string>>, name = 'id'): Promise<number> {
  const p = await params;
  const parsed = idParamSchema.safeParse(p[name]);
  if (!parsed.success) {
    throw new z.ZodError([{ code: 'custom', path: [name], message: `must be a positive integer, got "${p[name] ?? ''}"`, input: p[name] }]);
  }
  return parsed.data;
}

/** URLSearchParams -> plain object (last value wins) for zod. */
export function queryObject(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams.entries());
}
