import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { getDb } from '../db/client.ts';
import { parseDatabaseUrl } from '../db/database-url.ts';
import { ensureDemo } from '../demo/seed.ts';
import { startWorker } from '../jobs/worker.ts';
import { projectRoot } from '../util/project-root.ts';
import { resolveListenHost } from './listen-host.ts';
import { needsBuild } from './needs-build.ts';
import { stopChild } from './stop-child.ts';

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
  const host = resolveListenHost({ host: opts.host });
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
  // The child exits when this process goes away, however it ends (die-with-parent.cjs).
  const web = spawn(process.execPath, ['--require', join(root, 'lib', 'server', 'die-with-parent.cjs'), nextBin, 'start', '-p', String(opts.port), '-H', host], {
    cwd: root,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    // The web process must open the same database even when DATABASE_URL was relative.
    env: { ...process.env, DATABASE_URL: target.url, NEXT_TELEMETRY_DISABLED: '1', CELLSCOPE_ROOT: root },
  });
  const worker = startWorker(db, { log });
  log(`[cellscope] http://${host.includes(':') ? `[${host}]` : host}:${opts.port}`);
  let exiting = false;
  const shutdown = (code: number): void => {
    if (exiting) return;
    exiting = true;
    // The web process is stopped for good (SIGKILL if busy), never left holding the port. Jobs in
    // flight resume at the next start: this process's leases are taken over once it is gone.
    void Promise.allSettled([worker.stop(), stopChild(web)]).then(() => process.exit(code));
    setTimeout(() => process.exit(code), 10_000).unref();
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));
  // Whatever escapes (a database error outside a job) ends the server cleanly, child included.
  process.on('uncaughtException', (err) => {
    log(`[cellscope] fatal: ${err.stack ?? err.message}`);
    shutdown(1);
  });
  process.on('unhandledRejection', (err) => {
    log(`[cellscope] fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    shutdown(1);
  });
  web.on('exit', (code) => {
    if (!exiting) {
      log(`[cellscope] web server exited (${code ?? 'signal'})`);
      shutdown(code ?? 1);
    }
  });
}
