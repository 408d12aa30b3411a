import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Cellscope's package.json. Found by walking up from this module (works for
 * the CLI run from any directory) and, inside a bundled Next.js server, from the working folder.
 * CELLSCOPE_ROOT overrides both.
 */
export function projectRoot(): string {
  const fromEnv = process.env.CELLSCOPE_ROOT;
  if (fromEnv) return fromEnv;
  const starts: string[] = [process.cwd()];
  try {
    starts.unshift(dirname(fileURLToPath(import.meta.url)));
  } catch {
    // import.meta.url is not a file URL inside some bundles: the working folder will do.
  }
  for (const start of starts) {
    let dir = start;
    for (;;) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg) && isCellscopePackage(pkg)) return dir;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

function isCellscopePackage(path: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'cellscope';
  } catch {
    return false;
  }
}
