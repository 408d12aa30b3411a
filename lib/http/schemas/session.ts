import { z } from 'zod';

/** Sessions: logging in and out of a shared server. */

/** POST /api/session */
export const loginBodySchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) }).strict();
