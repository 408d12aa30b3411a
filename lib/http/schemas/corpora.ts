import { labelUploadSchema } from '../../corpus/label-track.ts';

/** Corpora: texts (or token sequences) and their label tracks. */

/** POST /api/corpora/:id/labels: {name, spans: [{start, end, label}]}. */
export const addLabelTrackBodySchema = labelUploadSchema;
