import { z } from 'zod';
import { ARCHITECTURES } from '../../models/architectures.ts';

/**
 * A memory-lab experiment (the lecture's table: how long a gap each cell bridges): every chosen
 * architecture trained on the chosen memory task at every gap T with the same budget. Plain data,
 * shared by the form, the API and the CLI.
 */
export const MEMORY_TASKS = ['copy', 'adding'] as const;
export type MemoryTask = (typeof MEMORY_TASKS)[number];

export const memoryLabConfigSchema = z
  .object({
    task: z.enum(MEMORY_TASKS),
    archs: z.array(z.enum(ARCHITECTURES)).min(1).max(ARCHITECTURES.length),
    /** Copy: blanks between the letters and their recall; adding: digits per line. */
    gaps: z.array(z.number().int().min(0).max(500)).min(1).max(8),
    hidden: z.number().int().min(16).max(512).default(128),
    layers: z.number().int().min(1).max(2).default(1),
    steps: z.number().int().min(10).max(100_000).default(4000),
    batch: z.number().int().min(1).max(128).default(32),
    learningRate: z.number().positive().max(1).default(0.002),
    /** Task lines per corpus (5% of them held out to score accuracy). */
    examples: z.number().int().min(200).max(20_000).default(2000),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  })
  .strict()
  .refine((c) => new Set(c.archs).size === c.archs.length, { message: 'each architecture once', path: ['archs'] })
  .refine((c) => new Set(c.gaps).size === c.gaps.length, { message: 'each gap once', path: ['gaps'] })
  .refine((c) => c.task !== 'adding' || c.gaps.every((g) => g >= 2), { message: 'the adding task needs lines of at least 2 digits', path: ['gaps'] });

export type MemoryLabConfig = z.infer<typeof memoryLabConfigSchema>;

export function parseMemoryLabConfig(input: unknown): MemoryLabConfig {
  return memoryLabConfigSchema.parse(input);
}

/** Characters per task line: copy = 10 letters, T blanks, ':', 10 letters, '\n'; adding = T digits, '=', 2 digits, '\n'. */
export function taskLineLength(task: MemoryTask, gap: number): number {
  return task === 'copy' ? gap + 22 : gap + 4;
}

/**
 * The BPTT window for a gap: two task lines (at most 512), so that most windows hold a whole
 * line and the gradient can cross the gap; the state is carried between windows anyway.
 */
export function labSequenceLength(task: MemoryTask, gap: number): number {
  return Math.min(512, 2 * taskLineLength(task, gap));
}
