import type { CharModel, ModelLayer } from '../../models/char-model.ts';
import { DEFAULT_CELL_OPTIONS } from '../../models/architectures.ts';
import { FUSED_LAYERS, fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { kernels } from '../../models/fused/kernels.ts';
import type { LayerArrays } from '../../models/fused/layer-pass.ts';
import { eigenvalues, spectralRadius, type Complex } from './spectrum.ts';

/**
 * Fixed and slow points of the first layer's state update under a constant input character
 * (Sussillo & Barak 2013): from many starting states, minimise q(s) = ½‖F(s, x) − s‖² by Adam,
 * where F is one step of the layer; ∇q = (J − I)ᵀ (F(s) − s), J = ∂F/∂s, is one backward pass of
 * the fused kernels with F(s) − s as the cotangent. Points where q is (near) zero are fixed (slow)
 * points; each is classified by the eigenvalues of J there (stable: all inside the unit circle).
 */
export interface FixedPoint {
  /** The state (h, then c for an LSTM). */
  state: Float64Array;
  /** q = ½‖F(s) − s‖² there. */
  q: number;
  eigenvalues: Complex[];
  spectralRadius: number;
  stable: boolean;
}

export interface FixedPointOptions {
  iterations?: number;
  learningRate?: number;
  /** Points with q above this are not kept (slow points below it, fixed points near 0). */
  tolerance?: number;
  /** The distinct points kept, lowest q first (each costs an eigenvalue problem of the state's size). */
  maxPoints?: number;
}

export function firstLayerOf(model: CharModel): ModelLayer {
  const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
  if (why !== null) throw new Error(`fixed points are found on the fused kernels, which do not cover this model: ${why}`);
  const layer = model.layers[0];
  if (!layer) throw new Error('the model has no layers');
  return layer;
}

function weightsOf(layer: ModelLayer): LayerArrays {
  return { kernel: layer.kernel.dataSync() as Float32Array, recurrentKernel: layer.recurrentKernel.dataSync() as Float32Array, bias: layer.bias.dataSync() as Float32Array };
}

/** [rows, S] row-major states as the layer's named states ([rows, H] each). */
function split(states: Float64Array, rows: number, names: readonly string[], H: number): Record<string, Float32Array> {
  const S = names.length * H;
  return Object.fromEntries(names.map((q, qi) => [q, Float32Array.from({ length: rows * H }, (_, k) => states[Math.floor(k / H) * S + qi * H + (k % H)] as number)]));
}

/** One step of the first layer from `rows` states with input token `input`: F(s) and, given a cotangent, its VJP. */
function step(model: CharModel, states: Float64Array, rows: number, input: number, cotangent?: (next: Float64Array) => Float64Array): { next: Float64Array; vjp: Float64Array | null } {
  const layer = firstLayerOf(model);
  const H = layer.spec.units;
  const names = layer.cell.stateNames;
  const S = names.length * H;
  const fwd = FUSED_LAYERS[layer.spec.arch](layer.spec.options ?? DEFAULT_CELL_OPTIONS);
  const pass = fwd(kernels(), { ids: new Int32Array(rows).fill(input), vocab: model.shape.vocabSize }, weightsOf(layer), split(states, rows, names, H), 1, rows);
  const next = new Float64Array(rows * S);
  names.forEach((q, qi) => {
    const v = pass.final[q] as Float32Array;
    for (let r = 0; r < rows; r++) for (let h = 0; h < H; h++) next[r * S + qi * H + h] = v[r * H + h] as number;
  });
  if (!cotangent) {
    pass.release();
    return { next, vjp: null };
  }
  const cot = split(cotangent(next), rows, names, H);
  const g = pass.backward(cot.h as Float32Array, Object.fromEntries(names.filter((q) => q !== 'h').map((q) => [q, cot[q]]))).state0;
  const vjp = new Float64Array(rows * S);
  names.forEach((q, qi) => {
    const v = g[q] as Float32Array;
    for (let r = 0; r < rows; r++) for (let h = 0; h < H; h++) vjp[r * S + qi * H + h] = v[r * H + h] as number;
  });
  return { next, vjp };
}

/** J = ∂F/∂s at one state under `input`, S×S row-major: S rows of the batch, each started at a unit cotangent. */
export function jacobianAt(model: CharModel, state: Float64Array, input: number): Float64Array {
  const S = state.length;
  const rows = new Float64Array(S * S);
  for (let r = 0; r < S; r++) rows.set(state, r * S);
  const eye = new Float64Array(S * S);
  for (let i = 0; i < S; i++) eye[i * S + i] = 1;
  return step(model, rows, S, input, () => eye).vjp as Float64Array;
}

/** Newton's method polishes states of at most this size (a dense solve per step). */
const NEWTON_MAX_STATE = 256;

/** One Newton step for F(s) = s: s − (J − I)⁻¹ (F(s) − s), or null when J − I is singular. */
function newtonStep(model: CharModel, state: Float64Array, input: number): Float64Array | null {
  const S = state.length;
  const J = jacobianAt(model, state, input);
  const r = step(model, state, 1, input).next.map((v, k) => v - (state[k] as number));
  for (let i = 0; i < S; i++) J[i * S + i] = (J[i * S + i] as number) - 1;
  const delta = solve(J, r, S);
  return delta ? state.map((v, k) => v - (delta[k] as number)) : null;
}

/** Solves A x = b (A n×n row-major, overwritten) by Gaussian elimination with partial pivoting. */
export function solve(A: Float64Array, b: Float64Array, n: number): Float64Array | null {
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r * n + c] as number) > Math.abs(A[p * n + c] as number)) p = r;
    if (Math.abs(A[p * n + c] as number) < 1e-14) return null;
    if (p !== c) {
      for (let k = 0; k < n; k++) [A[c * n + k], A[p * n + k]] = [A[p * n + k] as number, A[c * n + k] as number];
      [x[c], x[p]] = [x[p] as number, x[c] as number];
    }
    for (let r = c + 1; r < n; r++) {
      const f = (A[r * n + c] as number) / (A[c * n + c] as number);
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r * n + k] = (A[r * n + k] as number) - f * (A[c * n + k] as number);
      x[r] = (x[r] as number) - f * (x[c] as number);
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let sum = x[r] as number;
    for (let k = r + 1; k < n; k++) sum -= (A[r * n + k] as number) * (x[k] as number);
    x[r] = sum / (A[r * n + r] as number);
  }
  return x;
}

/** Minimises q from each of `starts` ([count, S]) and returns the distinct points found, lowest q first. */
export function findFixedPoints(model: CharModel, input: number, starts: Float64Array, count: number, opts: FixedPointOptions = {}): FixedPoint[] {
  const S = starts.length / count;
  const iterations = opts.iterations ?? 1500;
  const lr = opts.learningRate ?? 0.01;
  const tolerance = opts.tolerance ?? 1e-6;
  const s = Float64Array.from(starts);
  const m1 = new Float64Array(s.length);
  const m2 = new Float64Array(s.length);
  const b1 = 0.9;
  const b2 = 0.999;
  let q = new Float64Array(count);
  for (let it = 1; it <= iterations; it++) {
    // Adam's steps stay near lr however close the minimum: the rate decays to lr/1000 by the end.
    const rate = lr * 1e-3 ** (it / iterations);
    let residual = new Float64Array(0);
    const { vjp } = step(model, s, count, input, (next) => (residual = next.map((v, k) => v - (s[k] as number))));
    q = Float64Array.from({ length: count }, (_, r) => 0.5 * residual.subarray(r * S, (r + 1) * S).reduce((a, v) => a + v * v, 0));
    if (q.every((v) => v < tolerance * 1e-6)) break;
    // ∇q = Jᵀ r − r
    for (let k = 0; k < s.length; k++) {
      const g = ((vjp as Float64Array)[k] as number) - (residual[k] as number);
      m1[k] = b1 * (m1[k] as number) + (1 - b1) * g;
      m2[k] = b2 * (m2[k] as number) + (1 - b2) * g * g;
      s[k] = (s[k] as number) - (rate * ((m1[k] as number) / (1 - b1 ** it))) / (Math.sqrt((m2[k] as number) / (1 - b2 ** it)) + 1e-12);
    }
  }
  // q at the final states; those near a root polished by Newton's method; the distinct ones kept.
  const qAt = (state: Float64Array): number => {
    const next = step(model, state, 1, input).next;
    return 0.5 * next.reduce((a, v, k) => a + (v - (state[k] as number)) ** 2, 0);
  };
  const found = Array.from({ length: count }, (_, r) => {
    let state: Float64Array = s.slice(r * S, (r + 1) * S);
    let qs = qAt(state);
    if (S <= NEWTON_MAX_STATE && qs < 10) {
      for (let it = 0; it < 30 && qs > 1e-20; it++) {
        const polished = newtonStep(model, state, input);
        const qp = polished ? qAt(polished) : Infinity;
        if (!(qp < qs)) break;
        state = polished as Float64Array;
        qs = qp;
      }
    }
    return { state, q: qs };
  }).filter((p) => p.q < tolerance).sort((a, b) => a.q - b.q);
  const kept: { state: Float64Array; q: number }[] = [];
  const apart = 1e-3 * Math.sqrt(S);
  for (const p of found) if (kept.length < (opts.maxPoints ?? 8) && kept.every((k) => Math.hypot(...k.state.map((v, i) => v - (p.state[i] as number))) > apart)) kept.push(p);
  return kept.map((p) => {
    const eig = eigenvalues(jacobianAt(model, p.state, input), S);
    const radius = spectralRadius(eig);
    return { ...p, eigenvalues: eig, spectralRadius: radius, stable: radius < 1 };
  });
}

/** The top two principal axes of `rows` states ([rows, S]) and their mean, by power iteration on the covariance. */
export function principalPlane(states: Float64Array, rows: number): { mean: Float64Array; axes: Float64Array[]; explained: number[] } {
  const S = states.length / rows;
  const mean = new Float64Array(S);
  for (let r = 0; r < rows; r++) for (let k = 0; k < S; k++) mean[k] = (mean[k] as number) + (states[r * S + k] as number) / rows;
  const cov = new Float64Array(S * S);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < S; i++) {
      const a = (states[r * S + i] as number) - (mean[i] as number);
      if (a === 0) continue;
      for (let j = 0; j < S; j++) cov[i * S + j] = (cov[i * S + j] as number) + (a * ((states[r * S + j] as number) - (mean[j] as number))) / Math.max(1, rows - 1);
    }
  }
  let total = 0;
  for (let i = 0; i < S; i++) total += cov[i * S + i] as number;
  const axes: Float64Array[] = [];
  const explained: number[] = [];
  for (let a = 0; a < 2; a++) {
    let v = Float64Array.from({ length: S }, (_, k) => Math.sin(k * 1.7 + a + 1));
    let lambda = 0;
    let found = false;
    for (let it = 0; it < 300; it++) {
      const w = new Float64Array(S);
      for (let i = 0; i < S; i++) {
        let sum = 0;
        for (let j = 0; j < S; j++) sum += (cov[i * S + j] as number) * (v[j] as number);
        w[i] = sum;
      }
      for (const u of axes) {
        const d = w.reduce((acc, x, k) => acc + x * (u[k] as number), 0);
        for (let k = 0; k < S; k++) w[k] = (w[k] as number) - d * (u[k] as number);
      }
      const norm = Math.hypot(...w);
      if (norm <= 1e-12 * Math.max(1, total)) break;
      lambda = norm;
      found = true;
      v = w.map((x) => x / norm);
    }
    // States that span less than two dimensions: the missing axis is 0.
    axes.push(found ? v : new Float64Array(S));
    explained.push(total > 0 ? lambda / total : 0);
  }
  return { mean, axes, explained };
}

export function project(state: ArrayLike<number>, plane: { mean: Float64Array; axes: Float64Array[] }): [number, number] {
  const p = plane.axes.map((u) => u.reduce((acc, x, k) => acc + x * ((state[k] as number) - (plane.mean[k] as number)), 0));
  return [p[0] ?? 0, p[1] ?? 0];
}
