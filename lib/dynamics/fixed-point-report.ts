import type { Db } from '../db/client.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { saliencySourceOfRun } from '../saliency/saliency-source.ts';
import { fusedStackInfer, fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { findFixedPoints, principalPlane, project } from './fixed-points.ts';
import type { Complex } from './spectrum.ts';

/**
 * `cellscope dynamics --what fixed-points` and GET /api/runs/:id/fixed-points: the first layer's
 * fixed and slow points under a constant input character, searched from states the layer visits
 * on a stretch of the run's corpus, and that trajectory and the points in the plane of its first
 * two principal components.
 */
export const FIXED_POINT_TRAJECTORY = 300;
export const FIXED_POINT_WARM_UP = 64;
export const MAX_FIXED_POINT_STARTS = 128;
/** Points whose q = ½‖F(s) − s‖² is at most this per state unit are kept as slow points. */
export const SLOW_PER_UNIT = 2e-3;
/** ... and those below this are fixed points (float32 steps leave q near 1e-12 there). */
export const FIXED_Q = 1e-8;

export interface FixedPointReport {
  runId: number;
  checkpointId: number;
  step: number;
  layer: number;
  input: string;
  stateSize: number;
  starts: number;
  /** fixed: q ≈ 0 (a fixed point); else a slow point, where the state moves little. */
  points: { state: number[]; q: number; fixed: boolean; eigenvalues: Complex[]; spectralRadius: number; stable: boolean; pc: [number, number] }[];
  trajectory: { start: number; chars: string[]; pc: [number, number][] };
  /** The fraction of the trajectory's variance each of the two axes holds. */
  explained: number[];
  tookMs: number;
}

export async function runFixedPoints(db: Db, runId: number, opts: { checkpointId?: number | undefined; input?: string | undefined; starts?: number | undefined } = {}): Promise<FixedPointReport> {
  const started = performance.now();
  const source = await saliencySourceOfRun(db, runId, opts.checkpointId);
  const { model, ids, vocab } = source;
  const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
  if (why !== null) throw new ConflictError(`fixed points are found on the fused kernels, which do not cover this model: ${why}`);
  const input = opts.input ?? ' ';
  const inputId = vocab.index.get(input);
  if (inputId === undefined) throw new BadRequestError(`input must be one character of the model's vocabulary, got ${JSON.stringify(input)}`, 'input');
  const count = opts.starts ?? 32;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FIXED_POINT_STARTS) throw new BadRequestError(`starts must be an integer from 1 to ${MAX_FIXED_POINT_STARTS}, got ${count}`, 'starts');
  const layer = model.layers[0];
  if (!layer) throw new Error('the model has no layers');
  const T = Math.min(FIXED_POINT_TRAJECTORY, ids.length - FIXED_POINT_WARM_UP);
  if (T < 2) throw new BadRequestError(`the run's corpus has ${ids.length} characters: too few for a trajectory after a warm-up of ${FIXED_POINT_WARM_UP}`, 'starts');
  // The first layer's states along the text (h, then c).
  const names = layer.cell.stateNames;
  const H = layer.spec.units;
  const S = names.length * H;
  const K = FIXED_POINT_WARM_UP + T;
  const zero = model.layers.map((l) => Object.fromEntries(l.cell.stateNames.map((n) => [n, new Float32Array(l.spec.units)])));
  const run = fusedStackInfer(model, ids.subarray(0, K), zero, K, 1);
  const trajectory = new Float64Array(T * S);
  try {
    names.forEach((q, qi) => {
      const v = run.passes[0]?.quantity(q) as Float32Array;
      for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) trajectory[t * S + qi * H + h] = v[(FIXED_POINT_WARM_UP + t) * H + h] as number;
    });
  } finally {
    run.passes.forEach((p) => p.release());
  }
  const starts = new Float64Array(count * S);
  for (let k = 0; k < count; k++) {
    const t = Math.floor(((T - 1) * k) / Math.max(1, count - 1));
    starts.set(trajectory.subarray(t * S, (t + 1) * S), k * S);
  }
  // Slow points too: a step of a few hundredths per unit (q ≤ 2e-3 · S); fixed ones where q ≈ 0.
  const points = findFixedPoints(model, inputId, starts, count, { tolerance: SLOW_PER_UNIT * S });
  const plane = principalPlane(trajectory, T);
  return {
    runId, checkpointId: source.checkpointId, step: source.step, layer: 0, input, stateSize: S, starts: count,
    points: points.map((p) => ({ state: Array.from(p.state), q: p.q, fixed: p.q < FIXED_Q, eigenvalues: p.eigenvalues, spectralRadius: p.spectralRadius, stable: p.stable, pc: project(p.state, plane) })),
    trajectory: { start: FIXED_POINT_WARM_UP, chars: Array.from(ids.subarray(FIXED_POINT_WARM_UP, K), (id) => vocab.chars[id] ?? '\uFFFD'), pc: Array.from({ length: T }, (_, t) => project(trajectory.subarray(t * S, (t + 1) * S), plane)) },
    explained: plane.explained, tookMs: Math.round(performance.now() - started),
  };
}
