import type { KernelRuntime } from './kernels.ts';

/**
 * A recurrent weight block in kernel memory, packed for the kernels' products: U[:, c0:c1] as its
 * own [H, w] matrix, or its transpose [w, H] (for the backward products dz Uᵀ).
 */
export interface PackedBlock {
  at: number;
  packed: 0 | 1;
  release(): void;
}

export function columnBlock(u: Float32Array, rows: number, cols: number, c0: number, c1: number): Float32Array {
  if (c0 === 0 && c1 === cols) return u;
  const w = c1 - c0;
  const out = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) out.set(u.subarray(r * cols + c0, r * cols + c1), r * w);
  return out;
}

/** U[:, c0:c1] (U is [rows, cols]), packed when its width allows. */
export function uploadBlock(rt: KernelRuntime, u: Float32Array, rows: number, cols: number, c0: number, c1: number): PackedBlock {
  const plain = rt.upload(columnBlock(u, rows, cols, c0, c1));
  const p = rt.maybePackB(rows, c1 - c0, plain);
  if (!p.packed) return { at: plain, packed: 0, release: () => rt.release(plain) };
  rt.release(plain);
  return p;
}

/** (U[:, c0:c1])ᵀ, [c1 - c0, rows], packed when `rows` allows. */
export function uploadBlockTransposed(rt: KernelRuntime, u: Float32Array, rows: number, cols: number, c0: number, c1: number): PackedBlock {
  const w = c1 - c0;
  const plain = rt.upload(columnBlock(u, rows, cols, c0, c1));
  const t = rt.alloc(rows * w * 4);
  rt.transpose(rows, w, plain, t);
  rt.release(plain);
  const p = rt.maybePackB(w, rows, t);
  if (!p.packed) return { at: t, packed: 0, release: () => rt.release(t) };
  rt.release(t);
  return p;
}
