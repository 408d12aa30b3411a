import type { Db } from '../db/client.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { saliencySourceOfRun } from '../saliency/saliency-source.ts';
import { fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import type { CharModel } from '../../models/char-model.ts';
import { JACOBIAN_WARM_UP, jacobianSpectrum, stateJacobians, type JacobianSpectrum } from './state-jacobian.ts';

/**
 * `cellscope dynamics --what jacobian` and GET /api/runs/:id/jacobian: a layer's state Jacobian
 * ∂s_t/∂s_{t−1} along a stretch of the run's corpus: its spectral radius at every position
 * (where the layer holds on to its state and where it lets go) and its whole spectrum where the
 * radius is largest and smallest.
 */
export const MAX_JACOBIAN_LENGTH = 200;
/**
 * What one request may ask of the eigenvalue solver: positions × S³ (a 256-unit state's spectrum
 * takes ~0.4 s here, a 1,024-unit one ~20 s), about a minute's work.
 */
export const JACOBIAN_WORK = 2.3e9;

/** How many positions' spectra fit in JACOBIAN_WORK for a state of S units. */
export function jacobianPositionsFor(S: number): number {
  return Math.max(1, Math.min(MAX_JACOBIAN_LENGTH, Math.floor(JACOBIAN_WORK / S ** 3)));
}

function stateSizeOf(model: CharModel, layer: number): number {
  const l = model.layers[layer];
  return (l?.cell.stateNames.length ?? 1) * (l?.spec.units ?? 0);
}

export interface JacobianReport {
  runId: number;
  checkpointId: number;
  step: number;
  layer: number;
  arch: string;
  /** Size of the state the Jacobian acts on (h; an LSTM's h and c). */
  stateSize: number;
  start: number;
  chars: string[];
  /** Spectral radius of ∂s_t/∂s_{t−1} at each position of the stretch. */
  radius: number[];
  /** Whole spectra at the positions of the largest and the smallest radius. */
  spectra: JacobianSpectrum[];
  tookMs: number;
}

export async function runJacobian(db: Db, runId: number, opts: { checkpointId?: number | undefined; layer?: number | undefined; start?: number | undefined; length?: number | undefined } = {}): Promise<JacobianReport> {
  const started = performance.now();
  const source = await saliencySourceOfRun(db, runId, opts.checkpointId);
  const { model, ids, vocab } = source;
  requireFused(model);
  const layer = opts.layer ?? model.layers.length - 1;
  if (!Number.isInteger(layer) || layer < 0 || layer >= model.layers.length) throw new BadRequestError(`layer must be one of 0..${model.layers.length - 1}, got ${layer}`, 'layer');
  const most = jacobianPositionsFor(stateSizeOf(model, layer));
  const length = opts.length ?? Math.min(100, most);
  if (!Number.isInteger(length) || length < 1 || length > most) throw new BadRequestError(`length must be an integer from 1 to ${most} for this layer's state of ${stateSizeOf(model, layer)} (each position is an eigenvalue problem of that size), got ${length}`, 'length');
  const start = opts.start ?? JACOBIAN_WARM_UP;
  if (!Number.isInteger(start) || start < JACOBIAN_WARM_UP || start + length > ids.length) throw new BadRequestError(`start must be an integer from ${JACOBIAN_WARM_UP} (after a warm-up) to ${ids.length - length} (the corpus has ${ids.length} characters), got ${start}`, 'start');
  const positions = Array.from({ length }, (_, k) => start + k);
  const spectra = stateJacobians(model, ids, layer, positions).map(jacobianSpectrum);
  const radius = spectra.map((s) => s.spectralRadius);
  const hi = radius.indexOf(Math.max(...radius));
  const lo = radius.indexOf(Math.min(...radius));
  return {
    runId, checkpointId: source.checkpointId, step: source.step, layer, arch: model.layers[layer]?.spec.arch ?? '',
    stateSize: spectra[0]?.eigenvalues.length ?? 0, start, chars: positions.map((p) => vocab.chars[ids[p] as number] ?? '\uFFFD'), radius,
    spectra: [...new Set([hi, lo])].map((k) => spectra[k] as JacobianSpectrum), tookMs: Math.round(performance.now() - started),
  };
}

/** The state-Jacobian spectra at a few evenly spaced corpus positions (the spectrum report's `jacobian`). */
export function sampledJacobianSpectra(model: CharModel, ids: Int32Array, layer: number, asked = 3): JacobianSpectrum[] {
  const count = Math.min(asked, jacobianPositionsFor(stateSizeOf(model, layer)));
  if (fusedUnsupportedReason(model.shape, 'feedforward', 0) !== null || ids.length <= JACOBIAN_WARM_UP + count) return [];
  const span = ids.length - JACOBIAN_WARM_UP - 1;
  const positions = Array.from({ length: count }, (_, k) => JACOBIAN_WARM_UP + Math.floor((span * (k + 0.5)) / count));
  return stateJacobians(model, ids, layer, positions).map(jacobianSpectrum);
}

function requireFused(model: CharModel): void {
  const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
  if (why !== null) throw new ConflictError(`the state Jacobians run on the fused kernels, which do not cover this model: ${why}`);
}
