// Fused simple recurrence h' = φ(x W + h U + b) (models/simple-rnn.ts and the ESN), forward and
// BPTT, for batch rows [b0, b1). φ: 0 = tanh, 1 = ReLU.
//   act  [T, B, H]   on entry x_t W + b; on exit the pre-activation a_t (a recorded quantity).
//   hbuf [T+1, B, H] slot 0 = h0, slot t+1 = h_t.
//   u [H, H], ut = Uᵀ, each packed by packB when its flag is set.
import { gemmB } from './gemm';
import { tanhv } from './activations';

export function rnnForward(T: i32, B: i32, H: i32, b0: i32, b1: i32, act: usize, u: usize, uPacked: i32, hbuf: usize, relu: i32): void {
  const rows = b1 - b0;
  const step = <usize>(B * H) << 2;
  const zero = f32x4.splat(0);
  for (let t = 0; t < T; t++) {
    const a = act + <usize>t * step + (<usize>(b0 * H) << 2);
    const hPrev = hbuf + <usize>t * step + (<usize>(b0 * H) << 2);
    gemmB(rows, H, H, hPrev, H, 1, u, H, uPacked != 0, a, H, 1);
    const hn = hPrev + step;
    const n = <usize>(rows * H) << 2;
    for (let o: usize = 0; o < n; o += 16) {
      const v = v128.load(a + o);
      v128.store(hn + o, relu != 0 ? f32x4.max(v, zero) : tanhv(v));
    }
  }
}

// dhs [T, B, H] from above; dhn [B, H] carried dL/dh (zero in, dL/dh0 out); dz [T, B, H] gets
// dL/da_t (= d(x W + b)).
export function rnnBackward(T: i32, B: i32, H: i32, b0: i32, b1: i32, act: usize, hbuf: usize, ut: usize, utPacked: i32, dhs: usize, dz: usize, dhn: usize, relu: i32): void {
  const rows = b1 - b0;
  const step = <usize>(B * H) << 2;
  const one = f32x4.splat(1.0);
  const zero = f32x4.splat(0);
  const dhRows = dhn + (<usize>(b0 * H) << 2);
  const n = <usize>(rows * H) << 2;
  for (let t = T - 1; t >= 0; t--) {
    const off = <usize>t * step + (<usize>(b0 * H) << 2);
    const a = act + off;
    const h = hbuf + step + off;
    const d0 = dhs + off;
    const dzt = dz + off;
    for (let o: usize = 0; o < n; o += 16) {
      const dh = f32x4.add(v128.load(d0 + o), v128.load(dhRows + o));
      let da: v128;
      if (relu != 0) da = v128.and(dh, f32x4.gt(v128.load(a + o), zero));
      else {
        const hv = v128.load(h + o);
        da = f32x4.mul(dh, f32x4.sub(one, f32x4.mul(hv, hv)));
      }
      v128.store(dzt + o, da);
    }
    gemmB(rows, H, H, dzt, H, 1, ut, H, utPacked != 0, dhRows, H, 0);
  }
}
