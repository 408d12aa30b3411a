import { z } from 'zod';
import { MEMORY_TASKS, memoryLabConfigSchema } from '../../train/memory-lab-config.ts';
import { isoDate, ownershipFields } from './common.ts';

/** Memory labs: architectures × gaps trained on a memory task. */

/** POST /api/labs: a memory lab's configuration (lib/train/memory-lab-config.ts). */
export const createLabBodySchema = memoryLabConfigSchema;

/** One (architecture, gap) cell of a lab; accuracy once its run completed and was measured. */
const labCellFields = {
  arch: z.string(),
  gap: z.number().int(),
  corpusId: z.number().int(),
  runId: z.number().int(),
  accuracy: z.number().optional(),
  targets: z.number().int().optional(),
  /** The checkpoint step the accuracy was measured at. */
  step: z.number().int().optional(),
};

const labFields = {
  ...ownershipFields,
  id: z.number().int(),
  name: z.string(),
  task: z.enum(MEMORY_TASKS),
  config: memoryLabConfigSchema,
  createdAt: isoDate,
};

export const labSchema = z.strictObject({ ...labFields, cells: z.array(z.strictObject(labCellFields)) });

/** GET /api/labs */
export const listLabsResponseSchema = z.strictObject({ labs: z.array(labSchema) });

/** POST /api/labs */
export const createLabResponseSchema = z.strictObject({ labId: z.number().int(), runIds: z.array(z.number().int()) });

/** GET /api/labs/:id: the grid, each cell with its run's status and progress. */
export const labResultsResponseSchema = z.strictObject({
  ...labFields,
  cells: z.array(z.strictObject({ ...labCellFields, status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']), runStep: z.number().int(), totalSteps: z.number().int() })),
  /** True while any run is queued or running. */
  pending: z.boolean(),
});
