import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError } from '../errors.ts';
import { projectRoot } from '../util/project-root.ts';
import type { TaskArgs, TaskName, TaskResult } from './off-thread-tasks.ts';
import type { TaskError } from './off-thread-worker.ts';

/**
 * A small pool of threads in the web process for heavy requests (off-thread-tasks.ts), so one
 * researcher's saliency decay or LSTMVis import no longer stalls every other request. Threads
 * persist (their model and corpus caches with them) and take one task at a time; the rest wait
 * in order. A request whose client goes away is dropped from the queue, or, when running, its
 * thread is ended and replaced; so is one past its time limit (a 503 saying so).
 */
export const WEB_THREADS = Math.max(1, Math.min(8, Number(process.env.CELLSCOPE_WEB_THREADS ?? 2) || 2));
const TIME_LIMIT_MS = 10 * 60_000;

interface Job {
  id: number;
  name: TaskName;
  args: unknown;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal | undefined;
  timeoutMs: number;
}
interface Slot {
  worker: Worker;
  job: Job | null;
  timer?: ReturnType<typeof setTimeout> | undefined;
}

const slots: Slot[] = [];
const queue: Job[] = [];
let nextId = 1;

/** The error a task threw, as the class the one error mapper knows (a 4xx stays a 4xx). */
function rebuild(e: TaskError): Error {
  let err: Error;
  if (e.name === 'BadRequestError') err = new BadRequestError(e.message, e.field);
  else if (e.name === 'PayloadTooLargeError') err = new PayloadTooLargeError(e.message, e.field);
  else if (e.name === 'ConflictError') err = new ConflictError(e.message);
  else if (e.name === 'ForbiddenError') err = new ForbiddenError(e.message);
  else if (e.name === 'NotFoundError') {
    err = new NotFoundError('', '');
    err.message = e.message;
  } else err = new Error(e.message);
  return err;
}

function spawn(): Slot {
  const entry = join(/*turbopackIgnore: true*/ projectRoot(), 'lib', 'server', 'off-thread-entry.mjs');
  const slot: Slot = { worker: new Worker(entry), job: null };
  slot.worker.on('message', (msg: { id: number; result?: unknown; error?: TaskError }) => {
    const job = slot.job;
    if (!job || job.id !== msg.id) return;
    finish(slot);
    if (msg.error) job.reject(rebuild(msg.error));
    else job.resolve(msg.result);
    pump();
  });
  slot.worker.on('error', (err) => replace(slot, err));
  slot.worker.on('exit', (code) => {
    if (slots.includes(slot)) replace(slot, new Error(`a compute thread exited (${code})`));
  });
  // After the listeners (adding a 'message' listener refs the thread again): an idle pool never
  // keeps a process alive.
  slot.worker.unref();
  return slot;
}

function finish(slot: Slot): void {
  if (slot.timer) clearTimeout(slot.timer);
  slot.timer = undefined;
  slot.job = null;
  slot.worker.unref();
}

/** Ends a slot's thread (and its task, with `err`) and puts a fresh thread in its place. */
function replace(slot: Slot, err: Error): void {
  const k = slots.indexOf(slot);
  if (k < 0) return;
  const job = slot.job;
  finish(slot);
  slots.splice(k, 1);
  void slot.worker.terminate();
  job?.reject(err);
  pump();
}

function pump(): void {
  while (queue.length > 0) {
    let slot = slots.find((s) => s.job === null);
    if (!slot && slots.length < WEB_THREADS) {
      slot = spawn();
      slots.push(slot);
    }
    if (!slot) return;
    const job = queue.shift() as Job;
    if (job.signal?.aborted) continue;
    slot.job = job;
    // A thread at work keeps the process alive until it answers.
    slot.worker.ref();
    const running = slot;
    running.timer = setTimeout(() => replace(running, new ServiceUnavailableError(`the request took over ${Math.round(job.timeoutMs / 1000)} s and was stopped`)), job.timeoutMs);
    running.worker.postMessage({ id: job.id, name: job.name, args: job.args });
  }
}

/** Runs a task on the pool; rejects with the task's own error (as its class) or a 503. */
export function offThread<N extends TaskName>(name: N, args: TaskArgs<N>, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<TaskResult<N>> {
  return new Promise<TaskResult<N>>((resolve, reject) => {
    const job: Job = { id: nextId++, name, args, resolve: resolve as (v: unknown) => void, reject, signal: opts.signal, timeoutMs: opts.timeoutMs ?? TIME_LIMIT_MS };
    opts.signal?.addEventListener('abort', () => {
      const q = queue.indexOf(job);
      if (q >= 0) queue.splice(q, 1);
      const slot = slots.find((s) => s.job === job);
      if (slot) replace(slot, new Error('the client went away'));
      else if (q >= 0) reject(new Error('the client went away'));
    }, { once: true });
    queue.push(job);
    pump();
  });
}

/** Ends every thread (tests, shutdown). */
export async function closeOffThreadPool(): Promise<void> {
  const all = slots.splice(0);
  await Promise.all(all.map((s) => s.worker.terminate()));
}
