import { splitRows } from './kernels.ts';
import { projectInput, takeAndRelease } from './input-projection.ts';
import { addFinalH, hiddenSizeOf, type LayerForward, type LayerGradients } from './layer-pass.ts';

/**
 * One LSTM layer over a whole sequence on the fused kernels (assembly/lstm.ts): the same maths as
 * models/lstm.ts (gate blocks i, f, g, o; the unit forget bias lives in b). The batch is split
 * across the kernel threads for the sequential part; the weight gradients are whole-sequence
 * products split over their rows.
 */
export const lstmLayerForward: LayerForward = (rt, input, w, state0, T, B) => {
  const { h: h0, c: c0 } = state0;
  const H = hiddenSizeOf('LSTM', h0, B);
  const G = 4 * H;
  if (!h0 || !c0 || w.recurrentKernel.length !== H * G || w.bias.length !== G || c0.length !== B * H) throw new Error('fused LSTM: weight or state shapes do not match the hidden size');
  const rows = T * B;
  const proj = projectInput(rt, input, w.kernel, w.bias, rows, G);
  const u = rt.upload(w.recurrentKernel);
  const hbuf = rt.alloc((T + 1) * B * H * 4);
  const cbuf = rt.alloc((T + 1) * B * H * 4);
  rt.f32().set(h0, hbuf / 4);
  rt.f32().set(c0, cbuf / 4);
  const batchParts = splitRows(B, rt.threads);
  const up = rt.maybePackB(H, G, u);
  rt.parallel('lstmForward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, up.at, up.packed, hbuf, cbuf]));
  up.release();
  const hs = rt.download(hbuf + B * H * 4, rows * H);
  const cT = rt.download(cbuf + T * B * H * 4, B * H);
  let live = true;
  const release = (): void => {
    if (!live) return;
    live = false;
    proj.release();
    [proj.act, u, hbuf, cbuf].forEach((p) => rt.release(p));
  };
  const gateIndex: Record<string, number> = { i: 0, f: 1, g: 2, o: 3 };
  return {
    hs,
    final: { h: hs.slice((T - 1) * B * H), c: cT },
    quantity(name) {
      if (!live) throw new Error('fused LSTM pass already released');
      if (name === 'h') return hs;
      if (name === 'c') return rt.download(cbuf + B * H * 4, rows * H);
      const gate = gateIndex[name];
      if (gate === undefined) throw new Error(`the LSTM has no quantity ${name}`);
      const f = rt.f32();
      const out = new Float32Array(rows * H);
      for (let r = 0; r < rows; r++) out.set(f.subarray(proj.act / 4 + r * G + gate * H, proj.act / 4 + r * G + (gate + 1) * H), r * H);
      return out;
    },
    backward(dhsIn, dFinal) {
      if (!live) throw new Error('fused LSTM pass already released');
      const dhs = rt.upload(addFinalH(dhsIn, dFinal.h, T, B, H));
      const dhn = rt.alloc(B * H * 4);
      rt.zero(dhn, B * H * 4);
      const dcn = dFinal.c ? rt.upload(dFinal.c) : rt.alloc(B * H * 4);
      if (!dFinal.c) rt.zero(dcn, B * H * 4);
      const ut = rt.alloc(H * G * 4);
      rt.transpose(H, G, u, ut);
      const dz = rt.alloc(rows * G * 4);
      const utp = rt.maybePackB(G, H, ut);
      rt.parallel('lstmBackward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, utp.at, utp.packed, cbuf, dhs, dz, dhn, dcn]));
      utp.release();
      const dU = rt.alloc(H * G * 4);
      rt.gemm(H, G, rows, hbuf, 1, H, dz, G, dU, G, false); // Σ_t h_{t-1}ᵀ dz_t
      const { dW, db, dX } = proj.backward(dz);
      const grads: LayerGradients = {
        kernel: dW,
        recurrentKernel: takeAndRelease(rt, dU, H * G),
        bias: db,
        ...(dX ? { x: dX } : {}),
        state0: { h: takeAndRelease(rt, dhn, B * H), c: takeAndRelease(rt, dcn, B * H) },
      };
      [dhs, ut, dz].forEach((p) => rt.release(p));
      release();
      return grads;
    },
    release,
  };
};
