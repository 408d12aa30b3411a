import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child process for good: SIGTERM, then SIGKILL if it has not exited within `graceMs`
 * (a web server busy on a long request does not act on SIGTERM, and would otherwise outlive its
 * parent holding the port). Resolves once the child has exited.
 */
export function stopChild(child: ChildProcess, opts: { graceMs?: number } = {}): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), opts.graceMs ?? 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
