import type { Db } from '../db/client.ts';
import { jobContext } from '../jobs/job-context.ts';
import { executeTrainJob } from '../jobs/train-job.ts';
import { createMemoryLab, labResults } from '../train/memory-lab.ts';
import { parseMemoryLabConfig } from '../train/memory-lab-config.ts';
import { ARCHITECTURE_SHORT } from '../../models/architectures.ts';
import { intFlag, numberFlag, parseFlags, UsageError } from './args.ts';

export const LAB_USAGE = `  cellscope lab --task copy|adding --gaps T1,T2,... --archs lstm,gru,irnn,... [--hidden H] [--layers L]
                [--steps N] [--batch B] [--lr X] [--examples N] [--seed S] [--json]
                  trains every architecture at every gap here, then prints task accuracy per cell
`;

function list(value: unknown, name: string): string[] {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} takes a comma-separated list`);
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

/** `cellscope lab`: creates a memory lab, trains its runs one after another in this process, prints the grid. */
export async function labCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    task: { type: 'string' }, gaps: { type: 'string' }, archs: { type: 'string' }, hidden: { type: 'string' }, layers: { type: 'string' },
    steps: { type: 'string' }, batch: { type: 'string' }, lr: { type: 'string' }, examples: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' },
  });
  const gaps = list(values.gaps, 'gaps').map((g) => {
    const n = Number(g);
    if (!Number.isInteger(n)) throw new UsageError(`--gaps: "${g}" is not a whole number`);
    return n;
  });
  const raw: Record<string, unknown> = {
    task: values.task, gaps, archs: list(values.archs, 'archs'), hidden: intFlag(values, 'hidden'), layers: intFlag(values, 'layers'),
    steps: intFlag(values, 'steps'), batch: intFlag(values, 'batch'), learningRate: numberFlag(values, 'lr'), examples: intFlag(values, 'examples'), seed: intFlag(values, 'seed'),
  };
  const config = parseMemoryLabConfig(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  const json = values.json === true;
  const { lab, jobs } = await createMemoryLab(db, config, { claim: true });
  for (const [k, job] of jobs.entries()) {
    const cell = lab.cells[k];
    const log = json ? undefined : (line: string) => process.stderr.write(`[${k + 1}/${jobs.length} ${cell?.arch} T=${cell?.gap}] ${line}\n`);
    try {
      await executeTrainJob(db, jobContext(db, job.jobId, log), job.runId);
    } catch (err) {
      // One run failing (e.g. a ReLU RNN diverging) leaves its cell marked failed; the lab goes on.
      process.stderr.write(`run ${job.runId} (${cell?.arch}, T=${cell?.gap}) failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  const view = await labResults(db, lab.id);
  const cells = view.cells.map((c) => ({ arch: c.arch, gap: c.gap, runId: c.runId, status: c.status, accuracy: c.accuracy ?? null, targets: c.targets ?? null }));
  if (json) {
    process.stdout.write(`${JSON.stringify({ labId: lab.id, task: config.task, cells })}\n`);
    return;
  }
  const header = ['arch', ...config.gaps.map((g) => `T=${g}`)];
  const rows = config.archs.map((a) => [
    ARCHITECTURE_SHORT[a] ?? a,
    ...config.gaps.map((g) => {
      const c = cells.find((x) => x.arch === a && x.gap === g);
      return c?.accuracy === null || c?.accuracy === undefined ? (c?.status ?? '-') : `${(100 * c.accuracy).toFixed(1)}%`;
    }),
  ]);
  process.stdout.write(`memory lab ${lab.id} (${config.task} task, ${config.layers}x${config.hidden}, ${config.steps} steps): task accuracy\n`);
  for (const r of [header, ...rows]) process.stdout.write(`${r.map((x, i) => (i === 0 ? x.padEnd(8) : x.padStart(9))).join('')}\n`);
}
