import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/**
 * The spectra the lecture reads a recurrent layer's dynamics from (issue 13): the eigenvalues of
 * its recurrent matrix in the complex plane (inside the unit circle: what it carries decays,
 * outside: it grows), and the Gershgorin discs that bound them (every eigenvalue lies in the
 * union of the discs centred on the diagonal entries a_ii with radii Σ_{j≠i} |a_ij|).
 *
 * Matrices here act on column state vectors: A = Uᵀ for the Keras layout, where a step computes
 * h_{t-1} U (a row vector times U). Eigenvalues of A and U are the same; the discs are A's rows.
 */
export type Complex = [number, number];
export type Disc = [number, number, number];

/** The eigenvalues of the n×n matrix `a` (row-major), by real Hessenberg QR (ml-matrix, after JAMA). */
export function eigenvalues(a: ArrayLike<number>, n: number): Complex[] {
  if (a.length !== n * n) throw new Error(`a ${n}×${n} matrix has ${n * n} entries, got ${a.length}`);
  if (n === 0) return [];
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, a[i * n + j] as number);
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: false });
  return e.realEigenvalues.map((re, k) => [re, e.imaginaryEigenvalues[k] ?? 0] as Complex);
}

/** Row Gershgorin discs of `a`: [centre re, centre im (0 for a real matrix), radius] per row. */
export function gershgorinDiscs(a: ArrayLike<number>, n: number): Disc[] {
  return Array.from({ length: n }, (_, i) => {
    let r = 0;
    for (let j = 0; j < n; j++) if (j !== i) r += Math.abs(a[i * n + j] as number);
    return [a[i * n + i] as number, 0, r] as Disc;
  });
}

export function spectralRadius(eig: readonly Complex[]): number {
  return eig.reduce((m, [re, im]) => Math.max(m, Math.hypot(re, im)), 0);
}

/** Which part of a layer's recurrent kernel acts as its state-to-state matrix. */
export interface RecurrentMatrix {
  /** Short name (U_g, U_n, W_h, R_H). */
  name: string;
  /** What it is, for the page and the JSON. */
  description: string;
  n: number;
  /** Row-major n×n, acting on column state vectors. */
  a: Float64Array;
}

/**
 * A cell's state-to-state matrix from its recurrent kernel [H, blocks·H] (Keras layout):
 * - LSTM: U_g, the block feeding the cell update g = tanh(x W_g + h U_g + b_g) (the gates' blocks
 *   only scale what passes; the state Jacobian spectrum covers them);
 * - GRU: U_n, the candidate's block;
 * - vanilla, IRNN, np-RNN, ESN: W_h itself;
 * - RHN: R_H of the first micro-layer (its candidate block).
 */
export function recurrentMatrix(arch: string, units: number, recurrentKernel: ArrayLike<number>): RecurrentMatrix {
  const H = units;
  const cols = recurrentKernel.length / H;
  const pick: Record<string, { block: number; name: string; description: string }> = {
    lstm: { block: 2, name: 'U_g', description: 'U_g: the recurrent block of the cell update g (Keras gate order i, f, g, o)' },
    gru: { block: 2, name: 'U_n', description: 'U_n: the recurrent block of the candidate n (gate order z, r, n)' },
    rhn: { block: 0, name: 'R_H', description: 'R_H: the candidate block of the first micro-layer' },
  };
  const p = pick[arch] ?? { block: 0, name: 'W_h', description: 'W_h: the recurrent weight matrix' };
  if (!Number.isInteger(cols) || cols < (p.block + 1) * H) throw new Error(`a ${arch} recurrent kernel of ${recurrentKernel.length} values does not hold ${H}×${H} block ${p.block}`);
  const a = new Float64Array(H * H);
  // A[i][j] = U[j][block·H + i]: the transpose of the block.
  for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) a[i * H + j] = recurrentKernel[j * cols + p.block * H + i] as number;
  return { name: p.name, description: p.description, n: H, a };
}
