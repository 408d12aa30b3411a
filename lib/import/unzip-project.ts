import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { unzipSync } from 'fflate';
import { BadRequestError } from '../errors.ts';

/** Most bytes a project zip may unpack to (HDF5 states compress little; this bounds a zip bomb). */
export const MAX_UNZIPPED_BYTES = 4 * 1024 ** 3;

/**
 * Unpacks a zipped project into a new temporary folder and returns the folder holding lstm.yml
 * (a zip of the folder itself keeps one level of nesting). The caller removes `root`.
 */
export function unzipProject(zip: Uint8Array): { root: string; dir: string } {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new BadRequestError(`the zip unpacks to over ${MAX_UNZIPPED_BYTES / 1024 ** 3} GB`, 'files');
        return !f.name.endsWith('/') && !f.name.startsWith('__MACOSX/');
      },
    });
  } catch (err) {
    if (err instanceof BadRequestError) throw err;
    throw new BadRequestError(`the zip cannot be read: ${(err as Error).message}`, 'files');
  }
  const root = mkdtempSync(join(tmpdir(), 'cellscope-zip-'));
  let yml: string | null = null;
  for (const [name, bytes] of Object.entries(entries)) {
    const rel = normalize(name);
    if (rel.startsWith('..') || rel.startsWith('/')) throw new BadRequestError(`zip entry ${JSON.stringify(name)} lies outside the project`, 'files');
    const path = join(/*turbopackIgnore: true*/ root, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    if (/(^|\/)lstm\.ya?ml$/.test(rel) && (yml === null || rel.length < yml.length)) yml = rel;
  }
  if (yml === null) throw new BadRequestError('the zip holds no lstm.yml', 'files');
  return { root, dir: join(/*turbopackIgnore: true*/ root, dirname(yml)) };
}
