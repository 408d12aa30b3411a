import { z } from 'zod';
import { trainConfigSchema } from '../../train/config.ts';
import { sampleRunBodySchema } from '../../train/sample-checkpoint.ts';
import { int } from './common.ts';

/** Runs: a model trained here or uploaded (its configuration, checkpoints and metric history). */

/** POST /api/runs */
export const createRunBodySchema = z
  .object({
    corpusId: z.number().int().positive(),
    name: z.string().trim().min(1).max(200).optional(),
    config: trainConfigSchema.default(trainConfigSchema.parse({})),
  })
  .strict();

/** POST /api/runs/:id/sample */
export { sampleRunBodySchema };

/** GET /api/runs/:id/events: `since`, the metric points the page already has. */
export const runEventsQuerySchema = z.object({ since: int(0).optional() });
