import { parseArgs } from 'node:util';
import { z } from 'zod';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Parses flags strictly: unknown flags and missing values are usage errors naming the flag. */
export function parseFlags(argv: string[], spec: FlagSpec): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: true });
    return { values: values, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** A flag that must be a whole number in [min, max]. */
export function intFlag(values: Record<string, unknown>, name: string, opts: { min?: number; max?: number; required?: boolean } = {}): number | undefined {
  const raw = values[name];
  if (raw === undefined) {
    if (opts.required) throw new UsageError(`--${name} is required`);
    return undefined;
  }
  const schema = z.coerce.number().int().min(opts.min ?? -Infinity).max(opts.max ?? Infinity);
  const parsed = schema.safeParse(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !parsed.success) {
    throw new UsageError(`--${name} must be a whole number${opts.min !== undefined ? ` >= ${opts.min}` : ''}${opts.max !== undefined ? ` <= ${opts.max}` : ''}, got "${String(raw)}"`);
  }
  return parsed.data;
}

export function numberFlag(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got "${String(raw)}"`);
  return n;
}
