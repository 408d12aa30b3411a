import { z } from 'zod';
import { labelUploadSchema } from '../../corpus/label-track.ts';
import { isoDate, ownershipFields } from './common.ts';

/** Corpora: texts (or token sequences) and their label tracks. */

/** POST /api/corpora/:id/labels: {name, spans: [{start, end, label}]}. */
export const addLabelTrackBodySchema = labelUploadSchema;

/** A corpus as listings and pages show it (lib/db/corpora.ts). */
export const corpusSchema = z.strictObject({
  ...ownershipFields,
  id: z.number().int(),
  name: z.string(),
  /** Positions: characters, or words for a word corpus. */
  chars: z.number().int(),
  vocabSize: z.number().int(),
  /** Where the validation split begins. */
  trainEnd: z.number().int(),
  unit: z.enum(['char', 'word']),
  sequences: z.number().int().nullable(),
  createdAt: isoDate,
});

/** GET /api/corpora */
export const listCorporaResponseSchema = z.strictObject({ corpora: z.array(corpusSchema) });

/** GET /api/corpora/:id, POST /api/corpora */
export const corpusResponseSchema = z.strictObject({ corpus: corpusSchema });

/** A label track without its labels (lib/db/corpus-labels.ts). */
export const labelTrackSchema = z.strictObject({
  ...ownershipFields,
  id: z.number().int(),
  corpusId: z.number().int(),
  name: z.string(),
  /** How many distinct labels it uses. */
  labels: z.number().int(),
});

/** GET /api/corpora/:id/labels */
export const listLabelTracksResponseSchema = z.strictObject({ tracks: z.array(labelTrackSchema) });

/** POST /api/corpora/:id/labels */
export const labelTrackResponseSchema = labelTrackSchema;
