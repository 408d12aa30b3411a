import type { KernelRuntime } from './kernels.ts';

/** Kernel-memory buffers the fused layers share. Sizes in floats, addresses in bytes. */

/** A state sequence [T+1, B, H] with slot 0 holding the initial state. */
export function stateSequence(rt: KernelRuntime, s0: Float32Array, T: number, B: number, H: number): number {
  const at = rt.alloc((T + 1) * B * H * 4);
  rt.f32().set(s0, at / 4);
  return at;
}

/** `count` zero floats, or a copy of `data` when given. */
export function uploadOrZeros(rt: KernelRuntime, data: Float32Array | undefined, count: number): number {
  if (data) return rt.upload(data);
  const at = rt.alloc(count * 4);
  rt.zero(at, count * 4);
  return at;
}

/** A copy of columns [c0, c1) of a [rows, cols] matrix, as [rows, c1 - c0]. */
export function readColumns(rt: KernelRuntime, at: number, rows: number, cols: number, c0: number, c1: number): Float32Array {
  const f = rt.f32();
  const w = c1 - c0;
  const out = new Float32Array(rows * w);
  const base = at / 4;
  for (let r = 0; r < rows; r++) out.set(f.subarray(base + r * cols + c0, base + r * cols + c1), r * w);
  return out;
}

/** Guards a pass's buffers: release() frees them once; check() throws after that. */
export function passLifetime(arch: string, buffers: number[], rt: KernelRuntime, extra?: () => void): { check(): void; release(): void } {
  let live = true;
  return {
    check() {
      if (!live) throw new Error(`fused ${arch} pass already released`);
    },
    release() {
      if (!live) return;
      live = false;
      extra?.();
      buffers.forEach((p) => rt.release(p));
    },
  };
}
