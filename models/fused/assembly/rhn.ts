// Fused Recurrent Highway Network recurrence (models/rhn.ts) over a sequence, forward and BPTT,
// for batch rows [b0, b1). A timestep is L highway micro-layers; the T·L micro-steps form one
// chain j = t·L + k:
//   a_j = (k = 0 ? x_t W + b_0 : b_k) + s_{j-1} R_k           blocks: h~ | t | (c, uncoupled)
//   h = tanh(a^H),  τ = σ(a^T),  c = 1 - τ (coupled) or σ(a^C),  s_j = h ⊙ τ + s_{j-1} ⊙ c
// Layouts (row-major float32, byte addresses; E = G·H with G = 2 coupled, 3 uncoupled):
//   act0 [T, B, E]      x_t W + b_0 (input projection with micro-layer 0's bias)
//   bias [L, E]         b_k (row 0 unused here: it is already in act0)
//   acts [T·L, B, E]    on exit the activations h, τ(, c) of every micro-step
//   sbuf [T·L + 1, B, H] slot 0 = h0, slot j + 1 = s_j; the layer's output h_t = slot (t + 1)·L
//   rTable  L u32 addresses of the micro-layers' recurrent kernels R_k [H, E], packed by packB
//           when `packed` is set; rtTable likewise for their transposes [E, H].
import { gemmB } from './gemm';
import { sigmoidv, tanhv } from './activations';

export function rhnForward(T: i32, B: i32, H: i32, L: i32, coupled: i32, b0: i32, b1: i32, act0: usize, bias: usize, acts: usize, sbuf: usize, rTable: usize, packed: i32): void {
  const G = coupled != 0 ? 2 : 3;
  const E = G * H;
  const rows = b1 - b0;
  const sStep = <usize>(B * H) << 2;
  const aStep = <usize>(B * E) << 2;
  const rowBytes = <usize>E << 2;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1.0);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < L; k++) {
      const j = t * L + k;
      const a = acts + <usize>j * aStep + (<usize>(b0 * E) << 2);
      const sPrev = sbuf + <usize>j * sStep + (<usize>(b0 * H) << 2);
      if (k == 0) memory.copy(a, act0 + <usize>t * aStep + (<usize>(b0 * E) << 2), <usize>rows * rowBytes);
      else for (let q = 0; q < rows; q++) memory.copy(a + <usize>q * rowBytes, bias + <usize>k * rowBytes, rowBytes);
      gemmB(rows, E, H, sPrev, H, 1, <usize>load<u32>(rTable + (<usize>k << 2)), E, packed != 0, a, E, 1);
      for (let q = 0; q < rows; q++) {
        const ar = a + <usize>q * rowBytes;
        const sp = sPrev + (<usize>(q * H) << 2);
        const sn = sp + sStep;
        for (let c4 = 0; c4 < H; c4 += 4) {
          const o = <usize>c4 << 2;
          const h = tanhv(v128.load(ar + o));
          const tau = sigmoidv(v128.load(ar + hb + o));
          const carry = coupled != 0 ? f32x4.sub(one, tau) : sigmoidv(v128.load(ar + 2 * hb + o));
          v128.store(ar + o, h);
          v128.store(ar + hb + o, tau);
          if (coupled == 0) v128.store(ar + 2 * hb + o, carry);
          v128.store(sn + o, f32x4.add(f32x4.mul(h, tau), f32x4.mul(v128.load(sp + o), carry)));
        }
      }
    }
  }
}

// dhs [T, B, H]: dL/dh_t from above; ds [B, H]: the carried dL/ds (zero in, dL/dh0 out);
// dacts [T·L, B, E] receives the pre-activation gradients of every micro-step.
export function rhnBackward(T: i32, B: i32, H: i32, L: i32, coupled: i32, b0: i32, b1: i32, acts: usize, sbuf: usize, rtTable: usize, packed: i32, dhs: usize, dacts: usize, ds: usize): void {
  const G = coupled != 0 ? 2 : 3;
  const E = G * H;
  const rows = b1 - b0;
  const sStep = <usize>(B * H) << 2;
  const aStep = <usize>(B * E) << 2;
  const rowBytes = <usize>E << 2;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1.0);
  const dsRows = ds + (<usize>(b0 * H) << 2);
  for (let j = T * L - 1; j >= 0; j--) {
    const t = j / L;
    const k = j % L;
    const a = acts + <usize>j * aStep + (<usize>(b0 * E) << 2);
    const da = dacts + <usize>j * aStep + (<usize>(b0 * E) << 2);
    const sPrev = sbuf + <usize>j * sStep + (<usize>(b0 * H) << 2);
    const dOut = dhs + <usize>t * sStep + (<usize>(b0 * H) << 2);
    for (let q = 0; q < rows; q++) {
      const ar = a + <usize>q * rowBytes;
      const dr = da + <usize>q * rowBytes;
      const sp = sPrev + (<usize>(q * H) << 2);
      const dsr = dsRows + (<usize>(q * H) << 2);
      const d0 = dOut + (<usize>(q * H) << 2);
      for (let c4 = 0; c4 < H; c4 += 4) {
        const o = <usize>c4 << 2;
        let d = v128.load(dsr + o);
        if (k == L - 1) d = f32x4.add(d, v128.load(d0 + o));
        const h = v128.load(ar + o);
        const tau = v128.load(ar + hb + o);
        const s0 = v128.load(sp + o);
        v128.store(dr + o, f32x4.mul(f32x4.mul(d, tau), f32x4.sub(one, f32x4.mul(h, h))));
        let carry: v128;
        if (coupled != 0) {
          carry = f32x4.sub(one, tau);
          v128.store(dr + hb + o, f32x4.mul(f32x4.mul(d, f32x4.sub(h, s0)), f32x4.mul(tau, carry)));
        } else {
          carry = v128.load(ar + 2 * hb + o);
          v128.store(dr + hb + o, f32x4.mul(f32x4.mul(d, h), f32x4.mul(tau, f32x4.sub(one, tau))));
          v128.store(dr + 2 * hb + o, f32x4.mul(f32x4.mul(d, s0), f32x4.mul(carry, f32x4.sub(one, carry))));
        }
        // The direct path through the carry gate; the recurrent product is added below.
        v128.store(dsr + o, f32x4.mul(d, carry));
      }
    }
    gemmB(rows, H, E, da, E, 1, <usize>load<u32>(rtTable + (<usize>k << 2)), H, packed != 0, dsRows, H, 1);
  }
}
