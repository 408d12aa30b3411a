// Fused GRU recurrence (the reset-before form of models/gru.ts, blocks z, r, n) over a sequence,
// forward and BPTT, for batch rows [b0, b1).
//   z = σ(xz + h Uz),  r = σ(xr + h Ur),  n = tanh(xn + (r ⊙ h) Un),  h' = z ⊙ h + (1 - z) ⊙ n
// Layouts (row-major float32, byte addresses):
//   act  [T, B, 3H]  on entry x_t W + b; on exit the gates z, r, n.
//   hbuf [T+1, B, H] slot 0 = h0, slot t+1 = h_t (slots 0..T-1 are the h_{t-1}).
//   rh   [T, B, H]   r ⊙ h_{t-1}, kept for the gradient of Un.
//   uzr  [H, 2H] and un [H, H]: the recurrent kernel's z|r and n blocks; uzrT [2H, H] and unT
//   [H, H] their transposes. Each one packed by packB when its flag is set.
import { gemmB } from './gemm';
import { sigmoidv, tanhv } from './activations';

export function gruForward(T: i32, B: i32, H: i32, b0: i32, b1: i32, act: usize, uzr: usize, uzrPacked: i32, un: usize, unPacked: i32, hbuf: usize, rh: usize): void {
  const G = 3 * H;
  const rows = b1 - b0;
  const hStep = <usize>(B * H) << 2;
  const gStep = <usize>(B * G) << 2;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1.0);
  for (let t = 0; t < T; t++) {
    const gates = act + <usize>t * gStep + (<usize>(b0 * G) << 2);
    const hPrev = hbuf + <usize>t * hStep + (<usize>(b0 * H) << 2);
    const rht = rh + <usize>t * hStep + (<usize>(b0 * H) << 2);
    gemmB(rows, 2 * H, H, hPrev, H, 1, uzr, 2 * H, uzrPacked != 0, gates, G, 1);
    for (let r = 0; r < rows; r++) {
      const zr = gates + (<usize>(r * G) << 2);
      const hp = hPrev + (<usize>(r * H) << 2);
      const rr = rht + (<usize>(r * H) << 2);
      for (let j = 0; j < H; j += 4) {
        const o4 = <usize>j << 2;
        const z = sigmoidv(v128.load(zr + o4));
        const rg = sigmoidv(v128.load(zr + hb + o4));
        v128.store(zr + o4, z);
        v128.store(zr + hb + o4, rg);
        v128.store(rr + o4, f32x4.mul(rg, v128.load(hp + o4)));
      }
    }
    gemmB(rows, H, H, rht, H, 1, un, H, unPacked != 0, gates + 2 * hb, G, 1);
    for (let r = 0; r < rows; r++) {
      const zr = gates + (<usize>(r * G) << 2);
      const hp = hPrev + (<usize>(r * H) << 2);
      const hn = hp + hStep;
      for (let j = 0; j < H; j += 4) {
        const o4 = <usize>j << 2;
        const z = v128.load(zr + o4);
        const n = tanhv(v128.load(zr + 2 * hb + o4));
        v128.store(zr + 2 * hb + o4, n);
        v128.store(hn + o4, f32x4.add(f32x4.mul(z, v128.load(hp + o4)), f32x4.mul(f32x4.sub(one, z), n)));
      }
    }
  }
}

// dhs [T, B, H]: dL/dh_t from above; dhn [B, H]: the carried dL/dh (zero on entry, dL/dh0 on
// exit); drh [B, H] scratch; dz [T, B, 3H] receives the pre-activation gradients (= d(x W + b)).
export function gruBackward(T: i32, B: i32, H: i32, b0: i32, b1: i32, act: usize, hbuf: usize, uzrT: usize, uzrTPacked: i32, unT: usize, unTPacked: i32, dhs: usize, dz: usize, dhn: usize, drh: usize): void {
  const G = 3 * H;
  const rows = b1 - b0;
  const hStep = <usize>(B * H) << 2;
  const gStep = <usize>(B * G) << 2;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1.0);
  const dhRows = dhn + (<usize>(b0 * H) << 2);
  const drhRows = drh + (<usize>(b0 * H) << 2);
  for (let t = T - 1; t >= 0; t--) {
    const gates = act + <usize>t * gStep + (<usize>(b0 * G) << 2);
    const dzt = dz + <usize>t * gStep + (<usize>(b0 * G) << 2);
    const hPrev = hbuf + <usize>t * hStep + (<usize>(b0 * H) << 2);
    const dOut = dhs + <usize>t * hStep + (<usize>(b0 * H) << 2);
    // dh = dL/dh_t; the z and n pre-activation gradients; dhn keeps dh for the next loop.
    for (let r = 0; r < rows; r++) {
      const gr = gates + (<usize>(r * G) << 2);
      const zr = dzt + (<usize>(r * G) << 2);
      const hp = hPrev + (<usize>(r * H) << 2);
      const dhr = dhRows + (<usize>(r * H) << 2);
      const d0 = dOut + (<usize>(r * H) << 2);
      for (let j = 0; j < H; j += 4) {
        const o4 = <usize>j << 2;
        const z = v128.load(gr + o4);
        const n = v128.load(gr + 2 * hb + o4);
        const dh = f32x4.add(v128.load(d0 + o4), v128.load(dhr + o4));
        v128.store(dhr + o4, dh);
        v128.store(zr + o4, f32x4.mul(f32x4.mul(dh, f32x4.sub(v128.load(hp + o4), n)), f32x4.mul(z, f32x4.sub(one, z))));
        v128.store(zr + 2 * hb + o4, f32x4.mul(f32x4.mul(dh, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n))));
      }
    }
    // d(r ⊙ h) = dn_pre Unᵀ
    gemmB(rows, H, H, dzt + 2 * hb, G, 1, unT, H, unTPacked != 0, drhRows, H, 0);
    for (let r = 0; r < rows; r++) {
      const gr = gates + (<usize>(r * G) << 2);
      const zr = dzt + (<usize>(r * G) << 2);
      const hp = hPrev + (<usize>(r * H) << 2);
      const dhr = dhRows + (<usize>(r * H) << 2);
      const drr = drhRows + (<usize>(r * H) << 2);
      for (let j = 0; j < H; j += 4) {
        const o4 = <usize>j << 2;
        const z = v128.load(gr + o4);
        const rg = v128.load(gr + hb + o4);
        const d = v128.load(drr + o4);
        v128.store(zr + hb + o4, f32x4.mul(f32x4.mul(d, v128.load(hp + o4)), f32x4.mul(rg, f32x4.sub(one, rg))));
        v128.store(dhr + o4, f32x4.add(f32x4.mul(v128.load(dhr + o4), z), f32x4.mul(d, rg)));
      }
    }
    // + [dz_pre, dr_pre] Uzrᵀ
    gemmB(rows, H, 2 * H, dzt, G, 1, uzrT, H, uzrTPacked != 0, dhRows, H, 1);
  }
}
