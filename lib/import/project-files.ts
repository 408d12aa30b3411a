import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestError } from '../errors.ts';
import { openH5, openH5Bytes, type H5File } from './h5.ts';

/**
 * The files of a project being imported, by path inside the project ('/'-separated, no '.' or
 * '..' parts). Uploads live in memory and are never written to disk; a local folder (the CLI)
 * is read from disk, with links out of the folder refused.
 */
export interface ProjectFiles {
  /** Bytes the user uploaded (what an import may store is tied to it); null for a local folder. */
  uploadedBytes: number | null;
  paths(): string[];
  has(path: string): boolean;
  readText(path: string): string;
  openH5(path: string): Promise<H5File>;
}

/**
 * A file name given by a user (an upload's field name, a zip entry, a name in lstm.yml) as a
 * path inside the project; anything that is not one is refused with a 400 naming it.
 */
export function projectPath(name: string, what = 'file'): string {
  const parts = name.replace(/\\/g, '/').split('/');
  if (name.startsWith('/') || parts.includes('..')) throw new BadRequestError(`${what} ${JSON.stringify(name)} lies outside the project folder`, 'files');
  const kept = parts.filter((p) => p !== '' && p !== '.');
  if (kept.length === 0 || name.endsWith('/')) throw new BadRequestError(`${what} ${JSON.stringify(name)} is not a file name`, 'files');
  if (kept.some((p) => p.length > 255 || /[\u0000-\u001f]/.test(p))) throw new BadRequestError(`${what} ${JSON.stringify(name.slice(0, 80))} is not a file name`, 'files');
  return kept.join('/');
}

/** Files held in memory (an upload, or an unpacked zip), keyed by their names as given. */
export function memoryProject(entries: Iterable<[string, Uint8Array]>, uploadedBytes: number): ProjectFiles {
  const files = new Map<string, Uint8Array>();
  for (const [name, bytes] of entries) {
    const path = projectPath(name);
    if (files.has(path)) throw new BadRequestError(`the project holds ${path} twice`, 'files');
    files.set(path, bytes);
  }
  const folders = new Set<string>();
  for (const path of files.keys()) {
    const parts = path.split('/');
    for (let k = 1; k < parts.length; k++) folders.add(parts.slice(0, k).join('/'));
  }
  const clash = [...files.keys()].find((p) => folders.has(p));
  if (clash) throw new BadRequestError(`${clash} is both a file and a folder in the project`, 'files');
  const get = (path: string): Uint8Array => {
    const bytes = files.get(path);
    if (!bytes) throw new BadRequestError(`${path} is missing from the project`, 'files');
    return bytes;
  };
  return {
    uploadedBytes,
    paths: () => [...files.keys()],
    has: (path) => files.has(path),
    readText: (path) => new TextDecoder().decode(get(path)),
    openH5: (path) => openH5Bytes(path, get(path)),
  };
}

/** A project folder on this machine (cellscope import-lstmvis DIR). */
export function folderProject(dir: string): ProjectFiles {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new BadRequestError(`${dir} is not a folder`, 'files');
  const root = realpathSync(dir);
  const resolve = (path: string): string => {
    const abs = join(/*turbopackIgnore: true*/ root, path);
    if (!existsSync(abs)) throw new BadRequestError(`${path} is missing from the project`, 'files');
    const real = realpathSync(abs);
    if (real !== root && !real.startsWith(`${root}/`)) throw new BadRequestError(`${path} links outside the project folder`, 'files');
    return real;
  };
  const walk = (rel: string): string[] =>
    readdirSync(join(/*turbopackIgnore: true*/ root, rel), { withFileTypes: true }).flatMap((d) => {
      const path = rel ? `${rel}/${d.name}` : d.name;
      return d.isDirectory() ? walk(path) : [path];
    });
  return {
    uploadedBytes: null,
    paths: () => walk(''),
    has: (path) => existsSync(join(/*turbopackIgnore: true*/ root, path)),
    readText: (path) => readFileSync(resolve(path), 'utf8'),
    openH5: (path) => openH5(resolve(path)),
  };
}
