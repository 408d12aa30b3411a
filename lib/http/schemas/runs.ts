import { z } from 'zod';
import { trainConfigSchema } from '../../train/config.ts';
import { sampleRunBodySchema } from '../../train/sample-checkpoint.ts';
import { int, isoDate, ownershipFields } from './common.ts';
import { jobSchema } from './jobs.ts';
import { recordingSchema } from './recordings.ts';

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

const runStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);

/** A run as listings and pages show it (lib/db/runs.ts). */
export const runSchema = z.strictObject({
  ...ownershipFields,
  id: z.number().int(),
  name: z.string(),
  corpusId: z.number().int(),
  corpusName: z.string(),
  arch: z.string(),
  config: trainConfigSchema,
  status: runStatus,
  step: z.number().int(),
  /** The latest validation bits per character measured. */
  lastValBpc: z.number().nullable(),
  /** An imported model's vocabulary (symbols by token id); null: the corpus's. */
  vocab: z.array(z.string()).nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

export const checkpointSchema = z.strictObject({
  id: z.number().int(),
  runId: z.number().int(),
  step: z.number().int(),
  trainLoss: z.number(),
  valBpc: z.number().nullable(),
  createdAt: isoDate,
});

/** One point of a run's metric history (lib/train/trainer.ts MetricPoint). */
export const metricPointSchema = z.strictObject({
  step: z.number().int(),
  /** Mean training cross-entropy (nats per symbol) since the previous point. */
  trainLoss: z.number(),
  trainBpc: z.number(),
  valBpc: z.number().optional(),
  /** Training symbols per second of compute since the previous point. */
  charsPerSec: z.number(),
  elapsedMs: z.number(),
});

/** GET /api/runs */
export const listRunsResponseSchema = z.strictObject({ runs: z.array(runSchema) });

/** GET /api/runs/:id */
export const runDetailResponseSchema = z.strictObject({
  run: runSchema,
  checkpoints: z.array(checkpointSchema),
  recordings: z.array(recordingSchema),
  jobs: z.array(jobSchema),
});

/** POST /api/runs */
export const createRunResponseSchema = z.strictObject({ runId: z.number().int(), jobId: z.number().int() });

/** GET /api/runs/:id/events: each event, with only the metric points not sent before. */
export const runEventSchema = z.strictObject({
  status: runStatus,
  step: z.number().int(),
  totalSteps: z.number().int(),
  metrics: z.array(metricPointSchema),
  /** The training job, to its owner (null to others). */
  job: jobSchema.nullable(),
});

/** POST /api/runs/:id/sample */
export const sampleResponseSchema = z.strictObject({ checkpointId: z.number().int(), step: z.number().int(), text: z.string() });
