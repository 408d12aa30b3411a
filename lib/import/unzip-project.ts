import { Unzip, UnzipInflate } from 'fflate';
import { BadRequestError, PayloadTooLargeError } from '../errors.ts';
import { concatBytes } from '../util/bytes.ts';

/** Most bytes an uploaded project zip may unpack to. */
export const MAX_UNZIPPED_BYTES = 512 * 1024 ** 2;
/** A zip that unpacks to more than this many times its size is a zip bomb, not a project. */
export const MAX_UNZIP_RATIO = 100;

/** What is fed to the inflater at a time, so that a bomb is stopped within a few MB of output. */
const FEED = 16 * 1024;

/**
 * Unpacks a zip in memory, counting the bytes actually inflated (a zip's declared sizes can
 * lie): over `maxBytes`, or over MAX_UNZIP_RATIO × the zip's size, it stops at once with a 413.
 * Folders and macOS's __MACOSX shadows are skipped. Nothing is written to disk.
 */
export function unzipInMemory(zip: Uint8Array, opts: { maxBytes?: number } = {}): Map<string, Uint8Array> {
  const cap = Math.min(opts.maxBytes ?? MAX_UNZIPPED_BYTES, Math.max(1024 ** 2, zip.length * MAX_UNZIP_RATIO));
  const files = new Map<string, Uint8Array>();
  let total = 0;
  let failure: Error | null = null;
  const unzip = new Unzip((file) => {
    if (file.name.endsWith('/') || file.name.startsWith('__MACOSX/')) return;
    const parts: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = new BadRequestError(`the zip cannot be read: ${err.message}`, 'files');
        return;
      }
      total += chunk.length;
      if (total > cap) {
        failure = new PayloadTooLargeError(`the zip unpacks to over ${(cap / 1024 ** 2).toFixed(0)} MB (at most ${MAX_UNZIP_RATIO} times its size, ${(MAX_UNZIPPED_BYTES / 1024 ** 2).toFixed(0)} MB in all)`);
        file.terminate();
        return;
      }
      parts.push(chunk);
      if (final) {
        if (files.has(file.name)) failure = new BadRequestError(`the zip holds ${file.name} twice`, 'files');
        files.set(file.name, concatBytes(parts));
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < zip.length && !failure; at += FEED) unzip.push(zip.subarray(at, Math.min(zip.length, at + FEED)), at + FEED >= zip.length);
  } catch (err) {
    failure ??= new BadRequestError(`the zip cannot be read: ${(err as Error).message}`, 'files');
  }
  if (failure) throw failure;
  if (files.size === 0) throw new BadRequestError('the zip holds no files (or is not a zip)', 'files');
  return files;
}

/**
 * The files of a zipped project folder, relative to the folder holding lstm.yml (a zip of the
 * folder itself keeps one level of nesting).
 */
export function unzipProject(zip: Uint8Array, opts: { maxBytes?: number } = {}): Map<string, Uint8Array> {
  const entries = unzipInMemory(zip, opts);
  const yml = [...entries.keys()].filter((n) => /(^|\/)lstm\.ya?ml$/.test(n)).sort((a, b) => a.length - b.length)[0];
  if (yml === undefined) throw new BadRequestError('the zip holds no lstm.yml', 'files');
  const prefix = yml.replace(/lstm\.ya?ml$/, '');
  return new Map([...entries].filter(([n]) => n.startsWith(prefix)).map(([n, b]) => [n.slice(prefix.length), b]));
}
