import { resolve as resolvePath } from 'node:path';
import type H5wasmDefault from 'h5wasm';
import { BadRequestError } from '../errors.ts';

/**
 * HDF5 reading for imports, through h5wasm (the HDF5 C library compiled to WebAssembly). Only
 * what the importers need: a dataset's shape, its whole value, and a block of rows (a hyperslab,
 * so a large state matrix is never read at once).
 *
 * An HDF5 file can point outside itself: external storage (a dataset's bytes in another file,
 * e.g. /etc/passwd), external links and virtual datasets. Such a file is refused with a 400,
 * and nothing outside it is ever read: uploads are opened from their bytes in an in-memory file
 * system (h5wasm's default build), local folders (the CLI) through h5wasm's disk build; in both,
 * the file system's `open` is guarded so that HDF5 can open the one file it was given and
 * nothing else, whatever the file asks for.
 */
export interface H5Dataset {
  shape: number[];
  value: unknown;
  rows(start: number, end: number): ArrayLike<number>;
}

export interface H5File {
  name: string;
  dataset(path: string): H5Dataset | null;
  /** An attribute's value on the object at `path` ('/' for the file), or undefined. */
  attr(path: string, attribute: string): unknown;
  close(): void;
}

type H5Lib = typeof H5wasmDefault;

// Loaded when first needed: the disk build alone takes ~600 MB of memory once loaded, and only
// the CLI's folder imports use it; uploads use the in-memory build (~40 MB).
let memoryLib: Promise<H5Lib> | undefined;
let diskLib: Promise<H5Lib> | undefined;
const h5memory = (): Promise<H5Lib> => (memoryLib ??= import('h5wasm').then((m) => m.default));
const h5disk = (): Promise<H5Lib> => (diskLib ??= import('h5wasm/node').then((m) => m.default));
interface GuardedFs {
  open: (path: string, ...rest: unknown[]) => unknown;
  cwd: () => string;
  writeFile: (path: string, data: Uint8Array) => void;
  unlink: (path: string) => void;
  mkdirTree: (path: string) => void;
  ErrnoError: new (errno: number) => Error;
}

/**
 * The one path HDF5 may open in a build during the current call (h5wasm's calls are
 * synchronous, so this is exact even with several files open), and what it tried to open besides.
 * Outside an importer's calls (current null) the build is left alone: the tests write with it.
 */
interface Guard {
  current: string | null;
  refused: string[];
}

const guards = new WeakMap<object, Guard>();

async function guarded(lib: H5Lib): Promise<{ fs: GuardedFs; guard: Guard }> {
  const module = (await lib.ready) as unknown as { FS: GuardedFs };
  const fs = module.FS;
  let guard = guards.get(fs);
  if (!guard) {
    const g: Guard = { current: null, refused: [] };
    const open = fs.open.bind(fs);
    const ENOENT = 44; // emscripten's errno numbering
    fs.open = (path: string, ...rest: unknown[]) => {
      const abs = typeof path === 'string' ? (path.startsWith('/') ? path : `${fs.cwd().replace(/\/$/, '')}/${path}`) : String(path);
      if (g.current !== null && abs !== g.current) {
        g.refused.push(abs);
        throw new fs.ErrnoError(ENOENT);
      }
      return open(path, ...rest);
    };
    guards.set(fs, g);
    guard = g;
  }
  return { fs, guard };
}

function refuseOutside(name: string, what: string): never {
  throw new BadRequestError(`${name}: ${what} lies outside the file (external storage, an external link or a virtual dataset); Cellscope reads only the files given to it`, 'files');
}

/** Runs one synchronous h5wasm call with only `path` open to it. */
function within<T>(guard: Guard, path: string, fn: () => T): T {
  guard.current = path;
  guard.refused.length = 0;
  try {
    return fn();
  } finally {
    guard.current = null;
  }
}

function wrap(lib: H5Lib, f: InstanceType<H5Lib['File']>, file: { path: string; name: string }, guard: Guard, onClose: () => void): H5File {
  const { name } = file;
  const check = (path: string): void => {
    if (guard.refused.length > 0) {
      guard.refused.length = 0;
      refuseOutside(name, path);
    }
  };
  const read = <T>(path: string, fn: () => T): T => {
    let out: T;
    try {
      out = within(guard, file.path, fn);
    } catch (err) {
      check(path);
      throw new BadRequestError(`${name}: dataset ${path} cannot be read: ${(err as Error).message}`, 'files');
    }
    check(path);
    return out;
  };
  return {
    name,
    dataset(p) {
      const entity = read(p, () => f.get(p));
      if (entity && (entity as { type?: string }).type === 'ExternalLink') refuseOutside(name, p);
      if (!entity || !(entity instanceof lib.Dataset)) return null;
      const d = entity;
      const meta = read(p, () => d.metadata);
      if (meta.virtual_sources && meta.virtual_sources.length > 0) refuseOutside(name, p);
      const shape = (d.shape ?? []).map(Number);
      return {
        shape,
        get value() {
          return read(p, () => d.value);
        },
        rows(start, end) {
          const ranges = shape.length === 1 ? [[start, end]] : [[start, end], []];
          return read(p, () => d.slice(ranges as [number, number][]) as ArrayLike<number>);
        },
      };
    },
    attr(p, attribute) {
      const entity = p === '/' ? f : read(p, () => f.get(p));
      if (!entity || (entity as { type?: string }).type === 'ExternalLink') return undefined;
      return read(p, () => (entity as unknown as { attrs: Record<string, { value: unknown } | undefined> }).attrs[attribute]?.value);
    },
    close() {
      try {
        within(guard, file.path, () => f.close());
      } finally {
        onClose();
      }
    },
  };
}

let memorySeq = 0;

/** An uploaded HDF5 file, from its bytes, in h5wasm's in-memory file system. */
export async function openH5Bytes(name: string, bytes: Uint8Array): Promise<H5File> {
  const lib = await h5memory();
  const { fs, guard } = await guarded(lib);
  const dir = `/cellscope-upload-${++memorySeq}`;
  const path = `${dir}/file.h5`;
  fs.mkdirTree(dir);
  const release = (): void => {
    try {
      fs.unlink(path);
    } catch {
      // already gone
    }
  };
  try {
    within(guard, path, () => fs.writeFile(path, bytes));
    return open(lib, { path, name }, guard, release);
  } catch (err) {
    release();
    throw err;
  }
}

/** A local HDF5 file (the CLI's project folders), read from disk. */
export async function openH5(path: string): Promise<H5File> {
  const lib = await h5disk();
  const { guard } = await guarded(lib);
  const abs = resolvePath(path);
  return open(lib, { path: abs, name: abs.split('/').pop() ?? abs }, guard, () => {});
}

function open(lib: H5Lib, file: { path: string; name: string }, guard: Guard, release: () => void): H5File {
  let f: InstanceType<H5Lib['File']>;
  try {
    f = within(guard, file.path, () => new lib.File(file.path, 'r'));
  } catch (err) {
    release();
    throw new BadRequestError(`${file.name} is not a readable HDF5 file: ${(err as Error).message}`, 'files');
  }
  return wrap(lib, f, file, guard, release);
}
