import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { getDb } from '../db/client.ts';
import { parseDatabaseUrl } from '../db/database-url.ts';
import { ensureDemo } from '../demo/seed.ts';
import { startWorker } from '../jobs/worker.ts';
import { projectRoot } from '../util/project-root.ts';
import { needsBuild } from './needs-build.ts';

export interface ServeOptions {
  port: number;
  host?: string;
}

/**
 * Runs Cellscope: opens (and migrates) the database, creates the demo on an empty one, builds the
 * Next.js app if it has not been built, starts `next start`, and runs the background job worker
 * in this process. Killing this process and starting it again resumes interrupted jobs.
 */
export async function serve(opts: ServeOptions): Promise<void> {
  const root = projectRoot();
  const log = (line: string): void => console.log(`${new Date().toISOString().slice(11, 19)} ${line}`);
  const target = parseDatabaseUrl(process.env.DATABASE_URL);
  const db = await getDb();
  log(`[cellscope] database: ${target.kind === 'sqlite' ? target.file : target.url.replace(/\/\/[^@]*@/, '//***@')}`);
  await ensureDemo(db, log);

  const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  if (needsBuild(root)) {
    log('[cellscope] building the web app (first start, or sources changed since the last build)…');
    const built = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (built.status !== 0) throw new Error('next build failed');
  }
  const web = spawn(process.execPath, [nextBin, 'start', '-p', String(opts.port), ...(opts.host ? ['-H', opts.host] : [])], {
    cwd: root,
    stdio: 'inherit',
    // The web process must open the same database even when DATABASE_URL was relative.
    env: { ...process.env, DATABASE_URL: target.url, NEXT_TELEMETRY_DISABLED: '1', CELLSCOPE_ROOT: root },
  });
  const worker = startWorker(db, { log });
  log(`[cellscope] http://localhost:${opts.port}`);
  let exiting = false;
  const shutdown = (code: number): void => {
    if (exiting) return;
    exiting = true;
    web.kill('SIGTERM');
    // Jobs in flight stay 'running' in the database and resume at the next start.
    void worker.stop().finally(() => process.exit(code));
    setTimeout(() => process.exit(code), 3000).unref();
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  web.on('exit', (code) => {
    if (!exiting) {
      log(`[cellscope] web server exited (${code ?? 'signal'})`);
      shutdown(code ?? 1);
    }
  });
}
