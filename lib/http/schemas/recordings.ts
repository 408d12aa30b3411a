import { z } from 'zod';
import { MAX_WINDOW_VALUES } from '../../record/recording-reads.ts';
import { cellList, flag, int } from './common.ts';

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
  threshold: z.coerce.number().min(0).max(1),
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
    limit: z.coerce.number().int().min(1).max(10_000).default(20),
  })
  .strict();

/** GET /api/recordings/:id/feature */
export const featureQuerySchema = z
  .object({
    feature: z.string().min(1),
    regex: z.string().min(1).max(500).optional(),
    start: z.coerce.number().int().min(0),
    end: z.coerce.number().int().min(1),
  })
  .strict()
  .refine((q) => q.end - q.start <= MAX_WINDOW, { message: `at most ${MAX_WINDOW} positions per request`, path: ['end'] });

/** GET /api/recordings/:id/neuron */
export const neuronQuerySchema = z
  .object({
    layer: z.coerce.number().int().min(0),
    quantity: z.string().min(1).max(16),
    cell: z.coerce.number().int().min(0),
  })
  .strict();

/** GET /api/recordings/:id/saliency */
export const saliencyQuerySchema = z
  .object({
    pos: z.coerce.number().int(),
    window: z.coerce.number().int().optional(),
    target: z.string().min(1).optional(),
  })
  .strict();

/** GET /api/recordings/:id/saliency/decay */
export const decayQuerySchema = z
  .object({
    window: z.coerce.number().int().optional(),
    samples: z.coerce.number().int().optional(),
  })
  .strict();

/** GET /api/recordings/:id/export */
export const exportQuerySchema = z
  .object({
    layer: z.coerce.number().int(),
    quantity: z.string().min(1).max(16),
    start: z.coerce.number().int(),
    end: z.coerce.number().int(),
    format: z.string().default('npy'),
  })
  .strict();
