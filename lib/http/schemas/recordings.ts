import { z } from 'zod';
import { MAX_WINDOW_VALUES } from '../../record/recording-reads.ts';
import { BINARY_FEATURES, NUMERIC_FEATURES } from '../../corpus/feature-tracks.ts';
import { cellList, flag, int, isoDate, maybeNumber, ownershipFields } from './common.ts';
import { jobSchema } from './jobs.ts';

/** Recordings: a checkpoint's states over a corpus range, and everything read from them. */

/** POST /api/recordings */
export const createRecordingBodySchema = z
  .object({
    runId: z.number().int().positive(),
    checkpointId: z.number().int().positive().optional(),
    corpusId: z.number().int().positive().optional(),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(1).optional(),
    /** Also store saliency for predictions [start, end) over `window` inputs. */
    saliency: z.object({ start: z.number().int().min(0), end: z.number().int().min(1), window: z.number().int().min(1).max(256).optional() }).strict().optional(),
    /** false: store only the states (c, h), not the gates (half an LSTM recording's size). */
    gates: z.boolean().optional(),
  })
  .strict();

/** The most timesteps one window request returns (the views page through the rest). */
export const MAX_WINDOW = 20_000;

/** GET /api/recordings/:id/window */
export const getWindowQuerySchema = z
  .object({
    layer: int(0, 16),
    /** One of the recording's quantities (checked against it: c, h, i, f, o, g for an LSTM). */
    quantity: z.string().regex(/^[a-z][a-z0-9.]*$/, 'quantity must be a quantity name such as h, c or t0'),
    start: int(0),
    end: int(1),
    /** Comma-separated cell indices; all cells when absent. */
    cells: cellList.optional(),
  })
  .strict()
  .refine((q) => q.end > q.start, { message: 'end must be greater than start', path: ['end'] })
  .refine((q) => q.end - q.start <= MAX_WINDOW, { message: `a window holds at most ${MAX_WINDOW} timesteps`, path: ['end'] })
  .refine((q) => q.cells === undefined || q.cells.length * (q.end - q.start) <= MAX_WINDOW_VALUES, { message: `a window holds at most ${MAX_WINDOW_VALUES.toLocaleString('en-US')} values (cells × timesteps): ask for fewer cells or a shorter range`, path: ['cells'] });

/** GET /api/recordings/:id/text and /predictions */
export const getRangeQuerySchema = z
  .object({ start: int(0), end: int(1) })
  .strict()
  .refine((q) => q.end > q.start, { message: 'end must be greater than start', path: ['end'] })
  .refine((q) => q.end - q.start <= MAX_WINDOW, { message: `a window holds at most ${MAX_WINDOW} timesteps`, path: ['end'] });

/** GET /api/recordings/:id/search */
export const searchTextQuerySchema = z
  .object({ q: z.string().min(1).max(200), from: int(0).default(0) })
  .strict();

/** The fields select and match share (positions are corpus offsets, end exclusive). */
const selectionFields = {
  layer: int(0, 16),
  quantity: z.enum(['h', 'c']),
  start: int(0),
  end: int(1),
  threshold: z.coerce.number<number>().min(0).max(1),
  offBefore: flag.default(true),
  offAfter: flag.default(false),
};

/** GET /api/recordings/:id/select */
export const selectQuerySchema = z
  .object(selectionFields)
  .strict()
  .refine((q) => q.end > q.start, { message: 'end must be greater than start', path: ['end'] });

/** GET /api/recordings/:id/match: a selection (or explicit cells) and the match options. */
export const matchQuerySchema = z
  .object({
    ...selectionFields,
    cells: cellList.optional(),
    limit: int(1, 1000).default(50),
    offset: int(0, 1_000_000).default(0),
    exactLength: int(1).optional(),
    minLength: int(1).optional(),
    maxLength: int(1).optional(),
    /** 1: each match also carries its strip (cell values and top-1 predictions, lib/search/strips.ts). */
    strips: flag.default(false),
    /** The annotation track: pos (part of speech; the default for character corpora) or a label track's id (a word corpus's default: its first). */
    track: z.union([z.literal('pos'), int(1)]).optional(),
    /** threshold: LSTMVis's match; soft: nearest windows by cosine of the cells' values. */
    mode: z.enum(['threshold', 'soft']).default('threshold'),
  })
  .strict()
  .refine((q) => q.end > q.start, { message: 'end must be greater than start', path: ['end'] })
  .refine((q) => q.minLength === undefined || q.maxLength === undefined || q.maxLength >= q.minLength, { message: 'maxLength must be at least minLength', path: ['maxLength'] });

/** GET /api/recordings/:id/cells */
export const cellsQuerySchema = z
  .object({
    feature: z.string().min(1),
    regex: z.string().min(1).max(500).optional(),
    limit: z.coerce.number<number>().int().min(1).max(10_000).default(20),
  })
  .strict();

/** GET /api/recordings/:id/feature */
export const featureQuerySchema = z
  .object({
    feature: z.string().min(1),
    regex: z.string().min(1).max(500).optional(),
    start: z.coerce.number<number>().int().min(0),
    end: z.coerce.number<number>().int().min(1),
  })
  .strict()
  .refine((q) => q.end - q.start <= MAX_WINDOW, { message: `at most ${MAX_WINDOW} positions per request`, path: ['end'] });

/** GET /api/recordings/:id/neuron */
export const neuronQuerySchema = z
  .object({
    layer: z.coerce.number<number>().int().min(0),
    quantity: z.string().min(1).max(16),
    cell: z.coerce.number<number>().int().min(0),
  })
  .strict();

/** GET /api/recordings/:id/saliency */
export const saliencyQuerySchema = z
  .object({
    pos: z.coerce.number<number>().int(),
    window: z.coerce.number<number>().int().optional(),
    target: z.string().min(1).optional(),
  })
  .strict();

/** GET /api/recordings/:id/saliency/decay */
export const decayQuerySchema = z
  .object({
    window: z.coerce.number<number>().int().optional(),
    samples: z.coerce.number<number>().int().optional(),
  })
  .strict();

/** GET /api/recordings/:id/export: the whole recording unless start and end say otherwise. */
export const exportQuerySchema = z
  .object({
    layer: z.coerce.number<number>().int(),
    quantity: z.string().min(1).max(16),
    start: z.coerce.number<number>().int().optional(),
    end: z.coerce.number<number>().int().optional(),
    /** A corpus of sequences: export the K-th sequence's steps (0-based). */
    sequence: z.coerce.number<number>().int().min(0).optional(),
    format: z.string().default('npy'),
  })
  .strict();

// ---- Responses

/** A recording as listings and pages show it (lib/db/recordings.ts). */
export const recordingSchema = z.strictObject({
  ...ownershipFields,
  id: z.number().int(),
  runId: z.number().int(),
  checkpointId: z.number().int(),
  checkpointStep: z.number().int(),
  corpusId: z.number().int(),
  corpusName: z.string(),
  /** The recorded range of corpus positions, end exclusive. */
  start: z.number().int(),
  end: z.number().int(),
  /** Quantity names recorded per layer (c, h and the gates: models/architectures.ts). */
  quantities: z.array(z.string()),
  layers: z.number().int(),
  hidden: z.number().int(),
  stack: z.array(z.strictObject({ index: z.number().int(), name: z.string(), direction: z.enum(['forward', 'backward']), kind: z.string(), units: z.number().int(), quantities: z.array(z.string()) })),
  /** Whether it holds next-token (or class) predictions: not an LSTMVis import's, nor a bidirectional model's. */
  predictions: z.boolean(),
  chunkSize: z.number().int(),
  codec: z.string(),
  /** queued, running, completed, failed or cancelled. */
  status: z.string(),
  /** Saliency stored with the recording, or null. */
  saliency: z.strictObject({ start: z.number().int(), end: z.number().int(), window: z.number().int() }).nullable(),
  /** null: recorded here; lstmvis: states imported from an LSTMVis project (no predictions, no model). */
  origin: z.literal('lstmvis').nullable(),
  unit: z.enum(['char', 'word']),
  createdAt: isoDate,
});

/** GET /api/recordings */
export const listRecordingsResponseSchema = z.strictObject({ recordings: z.array(recordingSchema) });

/** GET /api/recordings/:id: the recording and its job (to its owner; null to others). */
export const recordingResponseSchema = z.strictObject({ recording: recordingSchema, job: jobSchema.nullable() });

/** POST /api/recordings */
export const createRecordingResponseSchema = z.strictObject({ recordingId: z.number().int(), jobId: z.number().int() });

const range = { start: z.number().int(), end: z.number().int() };

/** GET /api/recordings/:id/window: values[k][t] is cells[k] at step start + t (float16 precision). */
export const windowResponseSchema = z.strictObject({ ...range, cells: z.array(z.number().int()), values: z.array(z.array(z.number())) });

/** GET /api/recordings/:id/text: one symbol per position, clamped to the recording. */
export const textResponseSchema = z.strictObject({ ...range, chars: z.array(z.string()), sequenceStarts: z.array(z.number().int()) });

/** GET /api/recordings/:id/predictions: top[t] after step start + t; nextProb[t] null where not recorded. */
export const predictionsResponseSchema = z.strictObject({
  ...range,
  top: z.array(z.strictObject({ chars: z.array(z.string()), probs: z.array(z.number()) })),
  nextProb: z.array(maybeNumber),
});

/** GET /api/recordings/:id/search: the next offset, wrapping around; null when there is none. */
export const searchTextResponseSchema = z.strictObject({ offset: z.number().int().nullable() });

/** GET /api/recordings/:id/select */
export const selectResponseSchema = z.strictObject({
  cells: z.array(z.number().int()),
  /** Set when no cell qualifies: what to try instead. */
  note: z.string().optional(),
});

/** A match's strip (lib/search/strips.ts): values[k][t] of cells[k], top-1 predictions, annotations. */
export const matchStripSchema = z.strictObject({
  chars: z.array(z.string()),
  values: z.array(z.array(z.number())),
  top1: z.array(z.string()),
  correct: z.array(z.boolean()),
  tags: z.array(z.string()),
});

export const matchSchema = z.strictObject({
  ...range,
  intersection: z.number(),
  union: z.number(),
  jaccard: z.number(),
  /** Soft matches: the cosine similarity. */
  score: z.number().optional(),
  /** The matched text (over its limit: both ends around an ellipsis). */
  text: z.string(),
  strip: matchStripSchema.optional(),
});

/** GET /api/recordings/:id/match */
export const matchResponseSchema = z.strictObject({
  ...selectResponseSchema.shape,
  matches: z.array(matchSchema),
  /** Candidate ranges scored. */
  candidates: z.number().int(),
  /** Lengths of the runs with every selected cell on. */
  lengths: z.array(z.number().int()),
  /** With strips: annotation tags counted over the returned matches. */
  tags: z.record(z.string(), z.number()).optional(),
  tookMs: z.number(),
});

const featureName = z.enum([...BINARY_FEATURES, ...NUMERIC_FEATURES]);

export const rankedCellSchema = z.strictObject({
  layer: z.number().int(),
  quantity: z.string(),
  index: z.number().int(),
  /** AUC (binary features) or correlation (numeric ones). */
  score: z.number(),
  threshold: z.number().optional(),
  side: z.enum(['above', 'below']).optional(),
  precision: z.number().optional(),
  recall: z.number().optional(),
});

/** GET /api/recordings/:id/cells */
export const cellsResponseSchema = z.strictObject({
  feature: featureName,
  measure: z.enum(['auc', 'correlation']),
  /** The fraction of positions inside the feature (binary) or its mean (numeric). */
  coverage: z.number(),
  cells: z.array(rankedCellSchema),
  /** Set when the feature does not vary over the recording. */
  note: z.string().optional(),
  /** Set when the recording's columns predate exact ones (c clamped at ±4): says how to rebuild them. */
  approximate: z.string().optional(),
});

/** GET /api/recordings/:id/feature */
export const featureResponseSchema = z.strictObject({
  feature: featureName,
  binary: z.boolean(),
  start: z.number().int(),
  values: z.array(z.number()),
  /** The largest value over the whole recording. */
  max: z.number(),
});

const neuronExampleSchema = z.strictObject({
  /** The strongest position and its value. */
  pos: z.number().int(),
  value: z.number(),
  /** The text around it and the cell's value at each of its symbols. */
  start: z.number().int(),
  chars: z.array(z.string()),
  values: z.array(z.number()),
});
const charMeanSchema = z.strictObject({ char: z.string(), mean: z.number(), count: z.number().int() });

/** GET /api/recordings/:id/neuron */
export const neuronResponseSchema = z.strictObject({
  layer: z.number().int(),
  quantity: z.string(),
  cell: z.number().int(),
  count: z.number().int(),
  mean: z.number(),
  std: z.number(),
  min: z.number(),
  max: z.number(),
  /** Fraction of steps below 0.1 (gates) or -0.9 (others), and above 0.9. */
  low: z.number(),
  high: z.number(),
  hist: z.strictObject({ lo: z.number(), width: z.number(), counts: z.array(z.number().int()) }),
  charsHigh: z.array(charMeanSchema),
  charsLow: z.array(charMeanSchema),
  features: z.array(z.strictObject({ feature: z.string(), r: z.number() })),
  top: z.array(neuronExampleSchema),
  bottom: z.array(neuronExampleSchema),
});

/** GET /api/recordings/:id/gates: per gate unit, the fractions of steps below 0.1 and above 0.9. */
export const gatesResponseSchema = z.strictObject({
  layers: z.number().int(),
  gates: z.array(z.string()),
  points: z.array(z.strictObject({ layer: z.number().int(), quantity: z.string(), cell: z.number().int(), low: z.number(), high: z.number() })),
});

const fromCheckpoint = {
  checkpointId: z.number().int(),
  step: z.number().int(),
  /** Read from what was stored with the recording (else computed now). */
  stored: z.boolean(),
};

/** GET /api/recordings/:id/saliency */
export const saliencyResponseSchema = z.strictObject({
  pos: z.number().int(),
  window: z.number().int(),
  target: z.string(),
  /** True when the target is the symbol that actually follows pos. */
  targetIsNext: z.boolean(),
  targetProb: z.number(),
  ...fromCheckpoint,
  inputs: z.array(z.strictObject({ pos: z.number().int(), char: z.string(), grad: z.number(), gradXInput: z.number() })),
});

/** GET /api/recordings/:id/saliency/decay: per distance d (0: the symbol just read). */
export const decayResponseSchema = z.strictObject({
  window: z.number().int(),
  samples: z.number().int(),
  meanGrad: z.array(z.number()),
  meanAbsGradXInput: z.array(z.number()),
  ...fromCheckpoint,
});
