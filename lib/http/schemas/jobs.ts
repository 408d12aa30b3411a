import { z } from 'zod';
import { isoDate } from './common.ts';

/** Jobs: training, recording and imports running in the background (lib/db/jobs.ts). */

export const jobSchema = z.strictObject({
  id: z.number().int(),
  kind: z.enum(['train', 'record', 'import', 'analysis']),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
  /** 0 to 1. */
  progress: z.number(),
  message: z.string(),
  error: z.string().nullable(),
  runId: z.number().int().nullable(),
  recordingId: z.number().int().nullable(),
  cancelRequested: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});

/** GET /api/jobs/:id, POST /api/jobs/:id/cancel, POST /api/runs/:id/cancel */
export const jobResponseSchema = z.strictObject({ job: jobSchema });

/** GET /api/jobs/:id/events: each event is the job as it stands. */
export const jobEventSchema = jobSchema;
