// Fused LSTM recurrence over a whole sequence, forward and backward (BPTT), for a slice of the
// batch rows [b0, b1) so that threads can split the batch. The input projection x W + b is done
// outside (one large product for all timesteps); these kernels do what must be sequential.
//
// Layouts (row-major float32, byte addresses):
//   act  [T, B, 4H]  on entry the input pre-activations x_t W + b; on exit the gate activations
//                    i, f, g, o (Keras block order), which the backward pass and recording read.
//   hbuf [T+1, B, H] slot 0 holds h0; slot t+1 receives h_t. Slots 0..T-1 read as one [T*B, H]
//                    matrix are exactly the h_{t-1} that multiply U, so dU is a single product.
//   cbuf [T+1, B, H] the same for c.
//   u    [H, 4H]     recurrent kernel;  ut [4H, H] its transpose (for dh = dz Uᵀ); either one
//                    packed by packB when its `packed` flag is set.
// H must be a multiple of 4 (the caller checks).
import { gemmB } from './gemm';
import { sigmoidv, tanhv } from './activations';

export function lstmForward(T: i32, B: i32, H: i32, b0: i32, b1: i32, act: usize, u: usize, uPacked: i32, hbuf: usize, cbuf: usize): void {
  const G = 4 * H;
  const rows = b1 - b0;
  const hStep = <usize>(B * H) << 2;
  const gStep = <usize>(B * G) << 2;
  for (let t = 0; t < T; t++) {
    const gates = act + <usize>t * gStep + (<usize>(b0 * G) << 2);
    const hPrev = hbuf + <usize>t * hStep + (<usize>(b0 * H) << 2);
    const cPrev = cbuf + <usize>t * hStep + (<usize>(b0 * H) << 2);
    gemmB(rows, G, H, hPrev, H, 1, u, G, uPacked != 0, gates, G, 1);
    for (let r = 0; r < rows; r++) {
      const zr = gates + (<usize>(r * G) << 2);
      const cp = cPrev + (<usize>(r * H) << 2);
      const hn = hPrev + hStep + (<usize>(r * H) << 2);
      const cn = cPrev + hStep + (<usize>(r * H) << 2);
      const hb = <usize>H << 2;
      for (let j = 0; j < H; j += 4) {
        const o4 = <usize>j << 2;
        const i = sigmoidv(v128.load(zr + o4));
        const f = sigmoidv(v128.load(zr + hb + o4));
        const g = tanhv(v128.load(zr + 2 * hb + o4));
        const o = sigmoidv(v128.load(zr + 3 * hb + o4));
        const c = f32x4.add(f32x4.mul(f, v128.load(cp + o4)), f32x4.mul(i, g));
        v128.store(zr + o4, i);
        v128.store(zr + hb + o4, f);
        v128.store(zr + 2 * hb + o4, g);
        v128.store(zr + 3 * hb + o4, o);
        v128.store(cn + o4, c);
        v128.store(hn + o4, f32x4.mul(o, tanhv(c)));
      }
    }
  }
}

// Backward through time. dhs [T, B, H] is the loss gradient reaching each h_t from above (the
// output layer or the next layer); dhn and dcn [B, H] carry dL/dh_t and dL/dc_t from step t+1 and
// hold dL/dc_T (and any extra dL/dh_T) on entry, dL/dh0 and dL/dc0 on exit. dz [T, B, 4H]
// receives the gradients of the pre-activations, which are the gradients of x_t W + b.
export function lstmBackward(T: i32, B: i32, H: i32, b0: i32, b1: i32, act: usize, ut: usize, utPacked: i32, cbuf: usize, dhs: usize, dz: usize, dhn: usize, dcn: usize): void {
  const G = 4 * H;
  const rows = b1 - b0;
  const hStep = <usize>(B * H) << 2;
  const gStep = <usize>(B * G) << 2;
  const hb = <usize>H << 2;
  const one = f32x4.splat(1.0);
  for (let t = T - 1; t >= 0; t--) {
    const gates = act + <usize>t * gStep + (<usize>(b0 * G) << 2);
    const dzt = dz + <usize>t * gStep + (<usize>(b0 * G) << 2);
    const cPrev = cbuf + <usize>t * hStep + (<usize>(b0 * H) << 2);
    const dOut = dhs + <usize>t * hStep + (<usize>(b0 * H) << 2);
    const dhRows = dhn + (<usize>(b0 * H) << 2);
    const dcRows = dcn + (<usize>(b0 * H) << 2);
    for (let r = 0; r < rows; r++) {
      const gr = gates + (<usize>(r * G) << 2);
      const zr = dzt + (<usize>(r * G) << 2);
      const cp = cPrev + (<usize>(r * H) << 2);
      const cn = cp + hStep;
      const dh0 = dOut + (<usize>(r * H) << 2);
      const dhr = dhRows + (<usize>(r * H) << 2);
      const dcr = dcRows + (<usize>(r * H) << 2);
      for (let j = 0; j < H; j += 4) {
        const o4 = <usize>j << 2;
        const i = v128.load(gr + o4);
        const f = v128.load(gr + hb + o4);
        const g = v128.load(gr + 2 * hb + o4);
        const o = v128.load(gr + 3 * hb + o4);
        const tc = tanhv(v128.load(cn + o4));
        const dh = f32x4.add(v128.load(dh0 + o4), v128.load(dhr + o4));
        const dc = f32x4.add(v128.load(dcr + o4), f32x4.mul(f32x4.mul(dh, o), f32x4.sub(one, f32x4.mul(tc, tc))));
        v128.store(zr + o4, f32x4.mul(f32x4.mul(dc, g), f32x4.mul(i, f32x4.sub(one, i))));
        v128.store(zr + hb + o4, f32x4.mul(f32x4.mul(dc, v128.load(cp + o4)), f32x4.mul(f, f32x4.sub(one, f))));
        v128.store(zr + 2 * hb + o4, f32x4.mul(f32x4.mul(dc, i), f32x4.sub(one, f32x4.mul(g, g))));
        v128.store(zr + 3 * hb + o4, f32x4.mul(f32x4.mul(dh, tc), f32x4.mul(o, f32x4.sub(one, o))));
        v128.store(dcr + o4, f32x4.mul(dc, f));
      }
    }
    // dL/dh_{t-1} through the recurrence: dz_t Uᵀ, overwriting the carried dh.
    gemmB(rows, H, G, dzt, G, 1, ut, H, utPacked != 0, dhRows, H, 0);
  }
}
