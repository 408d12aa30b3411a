import { Worker } from 'node:worker_threads';
import type { DatabaseTarget } from '../db/database-url.ts';
import type { ChunkRow } from './recorder.ts';

/**
 * Writes a recording's state chunks on a thread of its own, so the next block is computed while
 * the last one is stored (recording is otherwise compute plus write time). At most `inFlight`
 * batches wait; write() resolves once its batch is queued within that bound, flush() once all
 * are stored. A failed write rejects the next write() or flush() with its error. Chunk bytes are
 * transferred to the thread, not copied: the caller must not touch them afterwards.
 */
export interface ChunkWriter {
  write(rows: ChunkRow[]): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function startChunkWriter(target: DatabaseTarget, recordingId: number, inFlight = 2): ChunkWriter {
  const worker = new Worker(new URL('./chunk-writer-thread.mjs', import.meta.url), {
    workerData: { target: target.kind === 'sqlite' ? { kind: 'sqlite', file: target.file } : { kind: 'postgresql', url: target.url }, recordingId },
  });
  let seq = 0;
  let closing: Promise<void> | undefined;
  let failure: Error | undefined;
  const pending = new Map<number, () => void>();
  const waiters: (() => void)[] = [];
  const settle = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  worker.on('message', (msg: { seq: number; error?: string }) => {
    if (msg.error) failure ??= new Error(`writing state chunks failed: ${msg.error}`);
    pending.get(msg.seq)?.();
    pending.delete(msg.seq);
    settle();
  });
  worker.on('error', (err) => {
    failure ??= err;
    pending.clear();
    settle();
  });
  const waitUntil = async (ok: () => boolean): Promise<void> => {
    while (!ok() && !failure) await new Promise<void>((r) => waiters.push(r));
    if (failure) throw failure;
  };
  return {
    async write(rows) {
      await waitUntil(() => pending.size < inFlight);
      const n = ++seq;
      pending.set(n, () => {});
      const buffers = [...new Set(rows.map((r) => r.data.buffer as ArrayBuffer))];
      worker.postMessage({ seq: n, rows }, buffers);
    },
    flush: () => waitUntil(() => pending.size === 0),
    close() {
      // Idempotent: a failure path closes early, the finally block again.
      closing ??= (async () => {
        const exited = new Promise<void>((r) => worker.once('exit', () => r()));
        worker.postMessage({ close: true });
        await exited;
      })();
      return closing;
    },
  };
}
