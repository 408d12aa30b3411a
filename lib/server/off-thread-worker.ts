import { parentPort } from 'node:worker_threads';
import { ZodError } from 'zod';
import { getDb } from '../db/client.ts';
import { TASKS, type TaskName } from './off-thread-tasks.ts';

/** The thread side of lib/server/off-thread.ts: runs one task at a time, answering with its result or error. */
export interface TaskError {
  name: string;
  message: string;
  field?: string;
}

function describe(err: unknown): TaskError {
  if (err instanceof ZodError) {
    const first = err.issues[0];
    return { name: 'BadRequestError', message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), field: first?.path.join('.') ?? '' };
  }
  if (err instanceof Error) {
    const field = (err as { field?: unknown }).field;
    return { name: err.name, message: err.message, ...(typeof field === 'string' ? { field } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

parentPort?.on('message', (msg: { id: number; name: TaskName; args: unknown }) => {
  void (async () => {
    try {
      const task = TASKS[msg.name] as (db: Awaited<ReturnType<typeof getDb>>, args: unknown) => Promise<unknown>;
      const result = await task(await getDb(), msg.args);
      parentPort?.postMessage({ id: msg.id, result });
    } catch (err) {
      parentPort?.postMessage({ id: msg.id, error: describe(err) });
    }
  })();
});
