// The thread behind lib/record/chunk-writer.ts: its own connection to the recording's database,
// writing each batch of state chunks it receives and answering with its sequence number (or the
// error). Runs under the same TypeScript loader as its parent (workers inherit execArgv).
import { parentPort, workerData } from 'node:worker_threads';
import { openPostgresRaw, openSqliteRaw, type RawSql } from '../db/raw-sql.ts';
import { writeChunks } from './chunk-store.ts';
import type { ChunkRow } from './recorder.ts';

const { target, recordingId } = workerData as { target: { kind: 'sqlite'; file: string } | { kind: 'postgresql'; url: string }; recordingId: number };
const raw: RawSql = target.kind === 'sqlite' ? openSqliteRaw(target.file) : openPostgresRaw(target.url);

parentPort?.on('message', (msg: { seq: number; rows: ChunkRow[] } | { close: true }) => {
  if ('close' in msg) {
    void raw.close().finally(() => process.exit(0));
    return;
  }
  writeChunks(raw, recordingId, msg.rows).then(
    () => parentPort?.postMessage({ seq: msg.seq }),
    (err: unknown) => parentPort?.postMessage({ seq: msg.seq, error: err instanceof Error ? err.message : String(err) }),
  );
});
