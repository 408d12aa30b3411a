import { z } from 'zod';
import { isoDate } from './common.ts';

/** The admin page (lib/auth/admin-overview.ts): users with their storage, and the jobs at work. */

const bytes = z.number().describe('bytes (estimated from shapes, lib/auth/quota.ts)');

/** GET /api/admin */
export const adminResponseSchema = z.strictObject({
  users: z.array(z.strictObject({
    id: z.number().int(),
    email: z.string(),
    isAdmin: z.boolean(),
    createdAt: isoDate,
    storage: z.strictObject({ corpora: bytes, labelTracks: bytes, checkpoints: bytes, recordings: bytes, total: bytes }),
    quotaBytes: z.number(),
    activeJobs: z.number().int(),
    maxJobs: z.number().int(),
  })),
  /** Every queued or running job, with its owner's e-mail (null: nobody's). */
  jobs: z.array(z.strictObject({
    id: z.number().int(),
    kind: z.string(),
    status: z.string(),
    progress: z.number(),
    message: z.string(),
    runId: z.number().int().nullable(),
    recordingId: z.number().int().nullable(),
    owner: z.string().nullable(),
    createdAt: isoDate,
  })),
});
