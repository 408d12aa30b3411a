import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { stopChild } from '../../../lib/server/stop-child.ts';

const PRELOAD = join(import.meta.dirname, '..', '..', '..', 'lib', 'server', 'die-with-parent.cjs');
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const until = async (what: string, ok: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('a busy web process that ignores SIGTERM is killed, not left holding the port (issue 11, finding 19)', async () => {
  // Ignores SIGTERM and keeps its event loop busy, as a web server in a long request does.
  const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('up'); for (;;) {}"], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((r) => child.stdout.once('data', r));
  const t0 = Date.now();
  await stopChild(child, { graceMs: 500 });
  assert.equal(child.signalCode, 'SIGKILL');
  assert.ok(Date.now() - t0 < 5000);
  assert.ok(!alive(child.pid as number));
  await stopChild(child); // already gone: returns at once
});

test('the web child exits when its parent dies, even by kill -9 (issue 11, finding 13)', async () => {
  // A parent that starts the child the way serve() does (preload + IPC channel), prints its pid, and idles.
  const parentCode = `
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, ['--require', ${JSON.stringify(PRELOAD)}, '-e', 'setInterval(() => {}, 1000)'], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    console.log(c.pid);
    setInterval(() => {}, 1000);`;
  const parent = spawn(process.execPath, ['-e', parentCode], { stdio: ['ignore', 'pipe', 'ignore'] });
  const childPid = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString().trim()))));
  assert.ok(alive(childPid));
  parent.kill('SIGKILL');
  await until('the child to exit after its parent', () => !alive(childPid));
});
