import { z } from 'zod';
import { VISIBILITIES } from '../../auth/access.ts';

/** Sharing one item (lib/auth/sharing.ts): who besides its owner may read it. */

/** At most this many named users per item: the Share rows of one item stay a handful. */
export const MAX_SHARES = 100;

/** POST /api/{corpora,runs,recordings,labs,labels}/{id}/sharing */
export const setSharingBodySchema = z
  .object({
    visibility: z.enum(VISIBILITIES),
    /** For `shared`: the e-mail addresses of the users it is shown to (each must have an account). */
    users: z.array(z.string().trim().toLowerCase().min(1).max(254)).max(MAX_SHARES).optional(),
  })
  .strict()
  .refine((b) => b.visibility === 'shared' || !b.users?.length, { message: 'users are named only with visibility "shared"', path: ['users'] });

/** GET and POST /api/{corpora,runs,recordings,labs,labels}/{id}/sharing */
export const sharingResponseSchema = z.strictObject({
  visibility: z.enum(VISIBILITIES),
  /** The users a shared item is shown to, by e-mail, sorted. */
  users: z.array(z.string()),
});
