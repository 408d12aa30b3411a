import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../../lib/db/client.ts';
import { applyMigrations, listMigrations, migrationsFolder } from '../../../lib/db/migrate.ts';
import { openPostgresRaw, openSqliteRaw, type RawSql } from '../../../lib/db/raw-sql.ts';
import { listMetrics } from '../../../lib/db/run-metrics.ts';
import { getRun } from '../../../lib/db/runs.ts';
import { readChunks, writeChunks } from '../../../lib/record/chunk-store.ts';
import { startPostgres, type PgServer } from '../../helpers/postgres.ts';
import { waitFor } from '../../helpers/temp-db.ts';
import { createCorpus, getCorpusSummary } from '../../../lib/db/corpora.ts';
import { getJob } from '../../../lib/db/jobs.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { listAnalyses } from '../../../lib/db/analyses.ts';
import { startWorker } from '../../../lib/jobs/worker.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { startTrainingRun } from '../../../lib/train/start-run.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { readStateWindow } from '../../../lib/record/window.ts';

/** The whole path on one database: corpus -> background training -> recording -> window read. */
async function trainAndRecord(db: Db): Promise<void> {
  const corpus = await createCorpus(db, { name: 'pg', text: 'a quick brown fox jumps over the lazy dog. '.repeat(30) });
  const config = parseTrainConfig({ hidden: 16, batch: 4, seq: 16, steps: 6, checkpointEvery: 3, evalEvery: 3, evalChars: 100 });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config });
  const worker = startWorker(db, { pollMs: 20, log: () => {} });
  try {
    await waitFor('training', async () => (await getJob(db, jobId)).status === 'completed');
    const rec = await startRecording(db, { runId, start: 0, end: 600 });
    await waitFor('recording', async () => (await getJob(db, rec.jobId)).status === 'completed');
    const summary = await getRecording(db, rec.recordingId);
    const w = await readStateWindow(db.raw, summary, 0, 'h', 250, 270, [3]);
    assert.equal(w.values.length, 20);
    for (const v of w.values) assert.ok(Math.abs(v) < 1 && v !== 0);
  } finally {
    await worker.stop();
  }
}

/** Creates one row of every model through Prisma, reads each back, and checks the chunk store. */
async function roundTripEveryModel(db: Db): Promise<void> {
  const { prisma } = db;
  const corpus = await prisma.corpus.create({ data: { name: 'c', text: 'héllo “x”', chars: 9, vocab: '["h"]', trainEnd: 8 } });
  const run = await prisma.run.create({ data: { name: 'r', corpusId: corpus.id, arch: 'lstm', config: '{"hidden":16}', status: 'queued' } });
  const weights = Uint8Array.from([0, 1, 2, 255]);
  const ck = await prisma.checkpoint.create({ data: { runId: run.id, step: 3, trainLoss: 1.5, valBpc: 2.25, weights, optimizer: null } });
  const rec = await prisma.recording.create({
    data: { runId: run.id, checkpointId: ck.id, corpusId: corpus.id, start: 0, end: 9, quantities: '["h"]', layers: 1, hidden: 16, chunkSize: 256, codec: 'f16', status: 'running' },
  });
  const job = await prisma.job.create({ data: { kind: 'train', status: 'queued', payload: '{}', runId: run.id, leaseOwner: 'h/1/x', leaseExpiresAt: new Date(0) } });
  await prisma.runMetric.create({ data: { runId: run.id, step: 3, trainLoss: 1.5, trainBpc: 2.16, valBpc: null, charsPerSec: 10, elapsedMs: 5 } });
  assert.equal((await prisma.runMetric.findUniqueOrThrow({ where: { runId_step: { runId: run.id, step: 3 } } })).trainBpc, 2.16);
  const user = await prisma.user.create({ data: { email: 'u@example.org', passwordHash: '$argon2id$x' } });
  await prisma.apiToken.create({ data: { userId: user.id, tokenHash: 'ab'.repeat(32), scope: 'read' } });
  assert.equal((await prisma.apiToken.findFirstOrThrow({ where: { userId: user.id } })).scope, 'read');
  const other = await prisma.user.create({ data: { email: 'v@example.org', passwordHash: '$argon2id$y' } });
  await prisma.corpus.update({ where: { id: corpus.id }, data: { ownerId: user.id, visibility: 'shared' } });
  await prisma.share.create({ data: { userId: other.id, corpusId: corpus.id } });
  assert.equal((await prisma.corpus.findFirstOrThrow({ where: { shares: { some: { userId: other.id } } } })).id, corpus.id);
  await prisma.user.delete({ where: { id: other.id } });
  assert.equal(await prisma.share.count(), 0, 'shares go with the user they name');
  await prisma.user.delete({ where: { id: user.id } });
  assert.equal(await prisma.apiToken.count(), 0, 'tokens go with their user');
  assert.equal((await prisma.corpus.findUniqueOrThrow({ where: { id: corpus.id } })).ownerId, null, 'an owner deleted leaves the item owned by nobody');
  const lab = await prisma.memoryLab.create({ data: { name: 'l', task: 'copy', config: '{"task":"copy"}', cells: '[{"runId":1}]' } });
  assert.equal((await prisma.memoryLab.findUniqueOrThrow({ where: { id: lab.id } })).cells, '[{"runId":1}]');
  await prisma.stateChunk.create({ data: { recordingId: rec.id, layer: 0, quantity: 'c', chunk: 0, start: 0, length: 1, data: Uint8Array.from([9, 9]) } });

  assert.equal((await prisma.corpus.findUniqueOrThrow({ where: { id: corpus.id } })).text, 'héllo “x”');
  assert.equal((await prisma.run.findUniqueOrThrow({ where: { id: run.id } })).config, '{"hidden":16}');
  const ckBack = await prisma.checkpoint.findUniqueOrThrow({ where: { id: ck.id } });
  assert.deepEqual(Array.from(ckBack.weights), [0, 1, 2, 255]);
  assert.equal(ckBack.valBpc, 2.25);
  assert.equal((await prisma.recording.findUniqueOrThrow({ where: { id: rec.id } })).codec, 'f16');
  const jobBack = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
  assert.equal(jobBack.cancelRequested, false);
  assert.ok(jobBack.createdAt instanceof Date);

  await writeChunks(db.raw, rec.id, [
    { layer: 0, quantity: 'h', chunk: 0, start: 0, length: 2, data: Uint8Array.from([1, 2, 3, 4]) },
    { layer: 0, quantity: 'h', chunk: 1, start: 2, length: 1, data: Uint8Array.from([5, 6]) },
  ]);
  const chunks = await readChunks(db.raw, rec.id, 0, 'h', 0, 5);
  assert.deepEqual(chunks.map((c) => [c.chunk, c.start, c.length, Array.from(c.data)]), [[0, 0, 2, [1, 2, 3, 4]], [1, 2, 1, [5, 6]]]);
  const viaPrisma = await prisma.stateChunk.findMany({ where: { recordingId: rec.id, quantity: 'h' }, orderBy: { chunk: 'asc' } });
  assert.deepEqual(Array.from(viaPrisma[1]?.data ?? []), [5, 6]);

  // Cascade: deleting the corpus removes everything recorded from it.
  await prisma.corpus.delete({ where: { id: corpus.id } });
  assert.equal(await prisma.stateChunk.count(), 0);
  assert.equal(await prisma.job.count(), 0);
}

/**
 * A database as the release before 2026-12-02 left it (migrations up to word_corpora): a run
 * whose metric history is a JSON text, a running job without a lease. Opening it migrates it.
 */
async function openLegacy(kind: 'sqlite' | 'postgresql', url: string, raw: RawSql): Promise<void> {
  const legacy = mkdtempSync(join(tmpdir(), 'cellscope-legacy-migrations-'));
  for (const m of listMigrations(migrationsFolder(kind)).filter((m) => m.name <= '20261126070000_word_corpora')) {
    mkdirSync(join(legacy, m.name));
    writeFileSync(join(legacy, m.name, 'migration.sql'), m.sql);
  }
  await applyMigrations(raw, legacy);
  rmSync(legacy, { recursive: true, force: true });
  const now = new Date().toISOString();
  await raw.run(`INSERT INTO "Corpus" ("id", "name", "text", "chars", "vocab", "trainEnd", "createdAt") VALUES (1, 'c', 'ab', 2, '["a","b"]', 1, ?)`, [now]);
  const history = JSON.stringify([
    { step: 10, trainLoss: 2.1, trainBpc: 3.03, charsPerSec: 500, elapsedMs: 100 },
    { step: 20, trainLoss: 1.9, trainBpc: 2.74, valBpc: 2.8, charsPerSec: 510, elapsedMs: 200 },
    { step: 20, trainLoss: 9, trainBpc: 9, charsPerSec: 0, elapsedMs: 0 },
  ]);
  await raw.run(`INSERT INTO "Run" ("id", "name", "corpusId", "arch", "config", "status", "step", "metrics", "createdAt", "updatedAt") VALUES (1, 'old', 1, 'lstm', '{}', 'running', 20, ?, ?, ?)`, [history, now, now]);
  await raw.run(`INSERT INTO "Job" ("id", "kind", "status", "payload", "runId", "createdAt", "updatedAt") VALUES (1, 'train', 'running', '{}', 1, ?, ?)`, [now, now]);
  // A recording from before layers could differ (no stack column) of a corpus from before sequences.
  await raw.run(`INSERT INTO "Checkpoint" ("id", "runId", "step", "trainLoss", "weights") VALUES (1, 1, 20, 1.9, ?)`, [new Uint8Array([0])]);
  await raw.run(`INSERT INTO "Recording" ("id", "runId", "checkpointId", "corpusId", "start", "end", "quantities", "layers", "hidden", "chunkSize", "codec", "status") VALUES (1, 1, 1, 1, 0, 2, '["c","h","i","f","o","g"]', 2, 16, 256, 'f16', 'completed')`);
  await raw.close();
  const db = await openDb(url);
  try {
    assert.deepEqual(await listMetrics(db, 1), [
      { step: 10, trainLoss: 2.1, trainBpc: 3.03, charsPerSec: 500, elapsedMs: 100 },
      { step: 20, trainLoss: 1.9, trainBpc: 2.74, valBpc: 2.8, charsPerSec: 510, elapsedMs: 200 },
    ], 'the history moved to RunMetric, a repeated step once');
    assert.equal((await getRun(db, 1)).lastValBpc, 2.8);
    const job = await db.prisma.job.findUniqueOrThrow({ where: { id: 1 } });
    assert.deepEqual([job.leaseOwner, job.leaseExpiresAt], [null, null]);
    const run = await getRun(db, 1);
    assert.deepEqual([run.owner, run.visibility, job.ownerId, job.visibility], [null, 'private', null, 'private'], 'made before accounts: owned by nobody, private (cellscope user adopt gives it to someone)');
    const rec = await getRecording(db, 1);
    assert.deepEqual(rec.stack.map((l) => [l.name, l.kind, l.units, l.direction, l.quantities.join(' ')]), [['0', 'lstm', 16, 'forward', 'c h i f o g'], ['1', 'lstm', 16, 'forward', 'c h i f o g']], 'made before stacks: its layers read as alike');
    assert.equal(rec.predictions, true);
    assert.equal((await getCorpusSummary(db, 1)).sequences, null, 'made before sequences: one continuous text');
    assert.deepEqual(await listAnalyses(db, 1), [], 'made before analyses: none, and the table is there');
  } finally {
    await db.close();
  }
}

test('SQLite: a database made before job leases and metric rows opens, migrated, its history kept', async () => {
  const file = join(dir, 'legacy.db');
  await openLegacy('sqlite', `file:${file}`, openSqliteRaw(file));
});

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cellscope-db-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('SQLite: migrations apply once on open, and every model round-trips', async () => {
  const url = `file:${join(dir, 'a.db')}`;
  const db = await openDb(url);
  const applied = await db.raw.query<{ name: string }>('SELECT "name" FROM "_cellscope_migrations"');
  assert.equal(applied.length, listMigrations(migrationsFolder('sqlite')).length);
  await roundTripEveryModel(db);
  await db.close();
  const again = await openDb(url); // re-opening applies nothing twice
  assert.equal((await again.raw.query('SELECT "name" FROM "_cellscope_migrations"')).length, applied.length);
  await again.close();
});

test('a bad DATABASE_URL is refused with a clear message', async () => {
  await assert.rejects(openDb('mysql://x'), /DATABASE_URL must start with file: \(SQLite\) or postgresql:\/\//);
});

let pg: PgServer | undefined;
test('PostgreSQL: migrations apply on open against a real server, and every model round-trips', async (t) => {
  pg = startPostgres();
  t.after(() => pg?.stop());
  const db = await openDb(pg.url);
  assert.equal(db.target.kind, 'postgresql');
  await roundTripEveryModel(db);
  await db.close();
  const again = await openDb(pg.url);
  assert.equal((await again.raw.query('SELECT "name" FROM "_cellscope_migrations"')).length, listMigrations(migrationsFolder('postgresql')).length);
  await trainAndRecord(again);
  await again.raw.exec('CREATE DATABASE "legacy"');
  await again.close();
  const legacyUrl = pg.url.replace(/\/[^/?]*(\?|$)/, '/legacy$1');
  await openLegacy('postgresql', legacyUrl, openPostgresRaw(legacyUrl));
});
