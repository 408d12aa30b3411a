import { z } from 'zod';
import { int, isoDate } from './common.ts';

/** Interventions and the causal ranking (issue 13): from correlation to cause. */

/** POST /api/recordings/:id/intervene */
export const interveneBodySchema = z
  .object({
    layer: z.number().int().min(0),
    /** c, h, or a gate the layer's cell has (lib/causal/intervention-spec.ts). */
    quantity: z.string().min(1),
    /** Cell indices, as a list or "12,40". */
    cells: z.union([z.array(z.number().int().min(0)).min(1), z.string().min(1)]),
    /** zero | mean | value:V | scale:F | position:P */
    set: z.string().min(1),
    /** all (default) | feature:F | regex:RE */
    where: z.string().optional(),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(1).optional(),
    /** Also each position's top predictions before and after (ranges up to 5,000 positions). */
    detail: z.boolean().optional(),
  })
  .strict();

const tokenProbability = z.strictObject({ token: z.string(), p: z.number() });

export const interveneResponseSchema = z.strictObject({
  recordingId: z.number().int(),
  layer: z.number().int(),
  quantity: z.string(),
  cells: z.array(z.number().int()),
  set: z.string(),
  where: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  positions: z.number().int(),
  intervened: z.number().int(),
  bpcBefore: z.number(),
  bpcAfter: z.number(),
  /** Intervened minus original bits per character over the range. */
  deltaBpc: z.number(),
  perClass: z.array(z.strictObject({ class: z.string(), count: z.number().int(), bpcBefore: z.number(), bpcAfter: z.number(), deltaBpc: z.number() })),
  perNext: z.array(z.strictObject({ token: z.string(), count: z.number().int(), deltaLogp: z.number() })),
  topPositions: z.array(z.strictObject({ pos: z.number().int(), next: z.string(), deltaLogp: z.number(), before: z.array(tokenProbability), after: z.array(tokenProbability) })),
  /** Δ ln p(true next) per position, for ranges up to 20,000 positions. */
  deltaLogp: z.array(z.number().nullable()).optional(),
  /** With detail: each position's top predictions before and after. */
  tops: z.array(z.strictObject({ before: z.array(tokenProbability), after: z.array(tokenProbability) })).optional(),
  tookMs: z.number(),
});

/** POST /api/recordings/:id/causal-rank */
export const causalRankBodySchema = z
  .object({
    layer: z.number().int().min(0),
    /** h (default) or c, or a gate. */
    quantity: z.string().min(1).optional(),
    /** A character (its prediction), feature:F or regex:RE. */
    target: z.string().min(1),
    start: z.number().int().min(0).optional(),
    end: z.number().int().min(1).optional(),
  })
  .strict();

export const analysisCreatedSchema = z.strictObject({ analysisId: z.number().int(), jobId: z.number().int() });

export const causalRankingSchema = z.strictObject({
  recordingId: z.number().int(),
  layer: z.number().int(),
  quantity: z.string(),
  target: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  targets: z.number().int(),
  baselineLogp: z.number(),
  cells: z.array(z.strictObject({ layer: z.number().int(), quantity: z.string(), index: z.number().int(), deltaLogp: z.number(), auc: z.number().optional() })),
  tookMs: z.number(),
});

const analysisFields = {
  id: z.number().int(),
  recordingId: z.number().int(),
  kind: z.enum(['causal-rank']),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
  progress: z.number(),
  message: z.string(),
  error: z.string().nullable(),
  jobId: z.number().int().nullable(),
  createdAt: isoDate,
};

/** GET /api/recordings/:id/analysis */
export const analysisQuerySchema = z.object({ analysisId: int(1) }).strict();

/** GET /api/recordings/:id/analysis */
export const analysisResponseSchema = z.strictObject({ ...analysisFields, result: causalRankingSchema.nullable() });

/** GET /api/recordings/:id/analyses */
export const listAnalysesResponseSchema = z.strictObject({ analyses: z.array(z.strictObject(analysisFields)) });

/** POST /api/runs/:id/patch */
export const patchBodySchema = z
  .object({
    /** The clean text and the corrupted one, of the same length (at most 400 characters). */
    clean: z.string().min(1),
    corrupt: z.string().min(1),
    /** The character the model should predict after them. */
    target: z.string().min(1),
    checkpointId: z.number().int().positive().optional(),
  })
  .strict();

export const patchResponseSchema = z.strictObject({
  runId: z.number().int(),
  checkpointId: z.number().int(),
  step: z.number().int(),
  clean: z.array(z.string()),
  corrupt: z.array(z.string()),
  target: z.string(),
  pClean: z.number(),
  pCorrupt: z.number(),
  /** Per layer and state quantity: p(target) with that state patched at each step, and the fraction restored. */
  patches: z.array(z.strictObject({ layer: z.number().int(), quantity: z.string(), p: z.array(z.number()), restored: z.array(z.number().nullable()) })),
  tookMs: z.number(),
});

const jacobianSpectrumSchema = z.strictObject({ pos: z.number().int(), eigenvalues: z.array(z.tuple([z.number(), z.number()])), spectralRadius: z.number() });

/** GET /api/runs/:id/spectrum */
export const spectrumQuerySchema = z.object({ checkpointId: int(1).optional(), layer: int(0, 64).optional() }).strict();

export const spectrumResponseSchema = z.strictObject({
  runId: z.number().int(),
  checkpointId: z.number().int(),
  step: z.number().int(),
  layers: z.array(z.strictObject({
    layer: z.number().int(),
    arch: z.string(),
    /** Which matrix: U_g (LSTM), U_n (GRU), W_h (RNNs), R_H (RHN). */
    matrix: z.string(),
    description: z.string(),
    /** [re, im] of each eigenvalue. */
    eigenvalues: z.array(z.tuple([z.number(), z.number()])),
    /** [centre re, centre im, radius] of each row's Gershgorin disc. */
    discs: z.array(z.tuple([z.number(), z.number(), z.number()])),
    spectralRadius: z.number(),
    /** The state Jacobian ∂s_t/∂s_{t−1}'s spectrum at a few corpus positions. */
    jacobian: z.array(jacobianSpectrumSchema),
  })),
});

/** GET /api/runs/:id/gradient-flow */
export const flowQuerySchema = z.object({ checkpointId: int(1).optional(), layer: int(0, 64).optional(), positions: int(1, 64).optional(), distance: int(1, 200).optional() }).strict();

const flowCurve = z.strictObject({ quantity: z.string(), mean: z.array(z.number()), lo: z.array(z.number()), hi: z.array(z.number()) });

export const flowResponseSchema = z.strictObject({
  runId: z.number().int(),
  checkpointId: z.number().int(),
  step: z.number().int(),
  arch: z.string(),
  positions: z.number().int(),
  distance: z.number().int(),
  /** Per layer and state quantity: ‖∂q_t/∂q_{t−d}‖_F for d = 1..distance (geometric mean, 10th and 90th percentiles). */
  layers: z.array(z.strictObject({ layer: z.number().int(), arch: z.string(), units: z.number().int(), curves: z.array(flowCurve) })),
  tookMs: z.number(),
});

/** GET /api/runs/:id/jacobian */
export const jacobianQuerySchema = z.object({ checkpointId: int(1).optional(), layer: int(0, 64).optional(), start: int(0).optional(), length: int(1, 200).optional() }).strict();

export const jacobianResponseSchema = z.strictObject({
  runId: z.number().int(),
  checkpointId: z.number().int(),
  step: z.number().int(),
  layer: z.number().int(),
  arch: z.string(),
  stateSize: z.number().int(),
  start: z.number().int(),
  chars: z.array(z.string()),
  /** Spectral radius of ∂s_t/∂s_{t−1} at each position. */
  radius: z.array(z.number()),
  spectra: z.array(jacobianSpectrumSchema),
  tookMs: z.number(),
});

/** GET /api/runs/:id/fixed-points */
export const fixedPointsQuerySchema = z.object({ checkpointId: int(1).optional(), input: z.string().min(1).optional(), starts: int(1, 128).optional() }).strict();

const planePoint = z.tuple([z.number(), z.number()]);

export const fixedPointsResponseSchema = z.strictObject({
  runId: z.number().int(),
  checkpointId: z.number().int(),
  step: z.number().int(),
  layer: z.number().int(),
  input: z.string(),
  stateSize: z.number().int(),
  starts: z.number().int(),
  /** Each point: its state (h, then c), q = ½‖F(s) − s‖², fixed (q ≈ 0) or slow, its Jacobian's eigenvalues, and where it falls in the plane. */
  points: z.array(z.strictObject({ state: z.array(z.number()), q: z.number(), fixed: z.boolean(), eigenvalues: z.array(z.tuple([z.number(), z.number()])), spectralRadius: z.number(), stable: z.boolean(), pc: planePoint })),
  trajectory: z.strictObject({ start: z.number().int(), chars: z.array(z.string()), pc: z.array(planePoint) }),
  explained: z.array(z.number()),
  tookMs: z.number(),
});
