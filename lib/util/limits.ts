import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseTarget } from '../db/database-url.ts';

/**
 * What one request may make the server store or hold, from the environment once per call:
 * a small request must not create unbounded storage or work (issue 11, finding 17).
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** A positive number from the environment, or the fallback when unset or not one. */
export function positiveEnv(env: Env, name: string, fallback: number): number {
  const v = Number(env[name] ?? '');
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** Most bytes one recording may store (CELLSCOPE_MAX_RECORDING_GB, default 32: War and Peace at 1×256 is 15 GB). */
export function maxRecordingBytes(env: Env = process.env): number {
  return positiveEnv(env, 'CELLSCOPE_MAX_RECORDING_GB', 32) * 1024 ** 3;
}

/** Most memory one training run's activations may take (CELLSCOPE_MAX_TRAIN_MEMORY_MB, default 4096). */
export function maxTrainingBytes(env: Env = process.env): number {
  return positiveEnv(env, 'CELLSCOPE_MAX_TRAIN_MEMORY_MB', 4096) * 1024 ** 2;
}

/** Free bytes where a SQLite database lives (null for PostgreSQL, whose disk is not ours to see). */
export function freeBytesFor(target: DatabaseTarget): number | null {
  if (target.kind !== 'sqlite') return null;
  try {
    const s = statfsSync(dirname(target.file));
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** Bytes for a message: "13.4 GB", "512.0 MB", "2.0 KB". */
export function gb(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024).toFixed(1)} KB`;
}
