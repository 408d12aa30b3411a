import { z } from 'zod';

/** Sessions: logging in and out of a shared server. */

/** POST /api/session */
export const loginBodySchema = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) }).strict();

const sessionUserSchema = z.strictObject({ id: z.number().int(), email: z.string(), isAdmin: z.boolean() });

/** GET /api/session: local mode needs nobody; shared mode says who is logged in (null: nobody). */
export const sessionResponseSchema = z.strictObject({ mode: z.enum(['local', 'shared']), user: sessionUserSchema.nullable() });

/** POST /api/session */
export const loginResponseSchema = z.strictObject({ user: sessionUserSchema });

/** DELETE /api/session */
export const logoutResponseSchema = z.strictObject({ loggedOut: z.literal(true) });
