import type { CharModel } from '../../models/char-model.ts';
import { StateBackprop } from './gradient-flow.ts';
import { eigenvalues, spectralRadius, type Complex } from './spectrum.ts';

/**
 * The actual state Jacobian of a layer, ∂s_t/∂s_{t−1} with s = (h) or an LSTM's (h, c), at
 * positions of a text (issue 13): where its spectral radius is near or above 1 the layer holds on
 * to what it carries, where it is small it lets go. Each position is read after WARM_UP
 * characters from a zero state (the Jacobian depends on the state and the input there).
 */
export const JACOBIAN_WARM_UP = 64;

export interface PositionJacobian {
  pos: number;
  /** S×S row-major, S = the state's size (h, then c). */
  jacobian: Float64Array;
  S: number;
}

/** The layer's state Jacobians at each of `positions` (each ≥ JACOBIAN_WARM_UP) of `ids`. */
export function stateJacobians(model: CharModel, ids: Int32Array, layer: number, positions: readonly number[]): PositionJacobian[] {
  const N = positions.length;
  const K = JACOBIAN_WARM_UP + 1;
  const input = new Int32Array(K * N);
  positions.forEach((p, n) => {
    if (!(Number.isInteger(p) && p >= JACOBIAN_WARM_UP && p < ids.length)) throw new Error(`position ${p} must be in ${JACOBIAN_WARM_UP}..${ids.length - 1}`);
    for (let k = 0; k < K; k++) input[k * N + n] = ids[p - JACOBIAN_WARM_UP + k] as number;
  });
  const bp = new StateBackprop(model, input, K, N, layer);
  bp.back();
  return positions.map((pos, n) => ({ pos, jacobian: bp.jacobian(n), S: bp.S }));
}

export interface JacobianSpectrum {
  pos: number;
  eigenvalues: Complex[];
  spectralRadius: number;
}

export function jacobianSpectrum(j: PositionJacobian): JacobianSpectrum {
  const eig = eigenvalues(j.jacobian, j.S);
  return { pos: j.pos, eigenvalues: eig, spectralRadius: spectralRadius(eig) };
}
