import type { Db } from '../db/client.ts';
import { createCorpus } from '../db/corpora.ts';
import { getLab, insertLab, saveLabCells, type LabCell, type LabRecord } from '../db/labs.ts';
import { getRun, type RunStatus } from '../db/runs.ts';
import { addingTaskText } from '../corpus/tasks/adding-task.ts';
import { copyTaskText } from '../corpus/tasks/copy-task.ts';
import { ARCHITECTURE_SHORT } from '../../models/architectures.ts';
import { parseTrainConfig } from './config.ts';
import { labSequenceLength, type MemoryLabConfig } from './memory-lab-config.ts';
import { runTaskAccuracy } from './run-task-accuracy.ts';
import { startTrainingRun } from './start-run.ts';
import { requireJobSlots } from '../auth/quota.ts';

/**
 * Creates a memory lab: one task corpus per gap and one training run per (architecture, gap),
 * all with the same budget, queued for the worker (or claimed, for the CLI to execute).
 */
export async function createMemoryLab(db: Db, config: MemoryLabConfig, opts: { claim?: boolean; ownerId?: number | null } = {}): Promise<{ lab: LabRecord; jobs: { runId: number; jobId: number }[] }> {
  await requireJobSlots(db, { ownerId: opts.ownerId ?? null, count: config.gaps.length * config.archs.length });
  const cells: LabCell[] = [];
  const jobs: { runId: number; jobId: number }[] = [];
  const labName = `${config.task} task: ${config.archs.map((a) => ARCHITECTURE_SHORT[a]).join(', ')} at ${config.task === 'copy' ? 'gaps' : 'lengths'} ${config.gaps.join(', ')}`;
  for (const gap of config.gaps) {
    const text = config.task === 'copy' ? copyTaskText({ gap, examples: config.examples, seed: config.seed }) : addingTaskText({ length: gap, examples: config.examples, seed: config.seed });
    const ownerId = opts.ownerId ?? null;
    const corpus = await createCorpus(db, { name: `${config.task} task, ${config.task === 'copy' ? 'gap' : 'length'} ${gap}`, text, ownerId });
    for (const arch of config.archs) {
      const train = parseTrainConfig({
        arch, layers: config.layers, hidden: config.hidden, batch: config.batch, seq: labSequenceLength(config.task, gap),
        steps: config.steps, learningRate: config.learningRate, seed: config.seed,
        evalEvery: Math.max(1, Math.floor(config.steps / 5)), checkpointEvery: Math.max(1, Math.floor(config.steps / 5)), evalChars: 20_000,
      });
      const started = await startTrainingRun(db, { corpusId: corpus.id, config: train, name: `${ARCHITECTURE_SHORT[arch]} on ${corpus.name}`, ownerId, ...(opts.claim ? { claim: true } : {}) });
      jobs.push(started);
      cells.push({ arch, gap, corpusId: corpus.id, runId: started.runId });
    }
  }
  return { lab: await insertLab(db, { name: labName, config, cells, ownerId: opts.ownerId ?? null }), jobs };
}

export interface LabCellView extends LabCell {
  status: RunStatus;
  runStep: number;
  totalSteps: number;
}

export interface LabView extends Omit<LabRecord, 'cells'> {
  cells: LabCellView[];
  /** True while any run is queued or running. */
  pending: boolean;
}

/**
 * The lab's grid with each run's status, measuring (once, then stored) the task accuracy of
 * every completed run: the fraction of the characters only memory can predict that its final
 * checkpoint predicts right on the held-out lines.
 */
export async function labResults(db: Db, id: number): Promise<LabView> {
  const lab = await getLab(db, id);
  let changed = false;
  const cells: LabCellView[] = [];
  for (const cell of lab.cells) {
    const run = await getRun(db, cell.runId);
    if (run.status === 'completed' && cell.accuracy === undefined) {
      const acc = await runTaskAccuracy(db, cell.runId, lab.task);
      Object.assign(cell, { accuracy: acc.accuracy, targets: acc.targets, step: acc.step });
      changed = true;
    }
    cells.push({ ...cell, status: run.status, runStep: run.step, totalSteps: run.config.steps });
  }
  if (changed) await saveLabCells(db, id, lab.cells);
  return { ...lab, cells, pending: cells.some((c) => c.status === 'queued' || c.status === 'running') };
}
