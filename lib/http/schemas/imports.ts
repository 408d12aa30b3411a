import { z } from 'zod';

/** Imports: models trained elsewhere and LSTMVis projects (lib/import/). */

/** POST /api/models */
export const modelImportResponseSchema = z.strictObject({
  runId: z.number().int(),
  checkpointId: z.number().int(),
  /** Which files it came from. */
  format: z.enum(['tfjs', 'pytorch', 'safetensors', 'onnx', 'keras', 'keras-h5']),
  /** The recurrent layers as understood, in model order (0-based). */
  layers: z.array(z.strictObject({ kind: z.string(), units: z.number().int(), direction: z.enum(['forward', 'backward']) })),
  /** What was understood, e.g. "Embedding(65→32) → 2 × LSTM(128) → Dense softmax(65)". */
  summary: z.string(),
  warnings: z.array(z.string()),
  /** Bits per symbol on the corpus's validation split and training text: a check that the vocabulary fits. */
  valBpc: z.number().nullable(),
  trainBpc: z.number().nullable(),
  /** A classifier (its classes named at upload): its classes and accuracy on the corpus's labelled sequences. */
  classifier: z.strictObject({ classes: z.array(z.string()), sequences: z.number().int(), accuracy: z.number().nullable() }).nullable(),
});

/** POST /api/lstmvis */
export const lstmvisImportResponseSchema = z.strictObject({
  corpusId: z.number().int(),
  runId: z.number().int(),
  recordingId: z.number().int(),
  unit: z.enum(['char', 'word']),
  timesteps: z.number().int(),
  layers: z.number().int(),
  hidden: z.number().int(),
  quantities: z.array(z.string()),
  /** The meta entries that became label tracks. */
  labelTracks: z.array(z.string()),
  warnings: z.array(z.string()),
});
