import type { KernelRuntime } from './kernels.ts';
import type { QuantityView } from './layer-pass.ts';

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

/** A copy of `rows` rows of `width` floats from a view (see layer-pass.ts QuantityView). */
export function readView(rt: KernelRuntime, view: QuantityView, rows: number, width: number): Float32Array {
  const f = rt.f32();
  const out = new Float32Array(rows * width);
  const base = view.at / 4;
  for (let r = 0; r < rows; r++) out.set(f.subarray(base + r * view.stride, base + r * view.stride + width), r * width);
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
