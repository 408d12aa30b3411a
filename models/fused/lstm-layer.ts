import { splitRows } from './kernels.ts';
import { projectInput } from './input-projection.ts';
import { addFinalH, collectGradients, hiddenSizeOf, type LayerForward } from './layer-pass.ts';
import { passLifetime, readView, stateSequence, uploadOrZeros } from './sequence-buffers.ts';
import { uploadBlock, uploadBlockTransposed } from './weight-blocks.ts';

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
  const hbuf = stateSequence(rt, h0, T, B, H);
  const cbuf = stateSequence(rt, c0, T, B, H);
  const batchParts = splitRows(B, rt.threads);
  const u = uploadBlock(rt, w.recurrentKernel, H, G, 0, G);
  rt.parallel('lstmForward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, u.at, u.packed, hbuf, cbuf]));
  u.release();
  const hs = rt.download(hbuf + B * H * 4, rows * H);
  const cT = rt.download(cbuf + T * B * H * 4, B * H);
  const life = passLifetime('LSTM', [proj.act, hbuf, cbuf], rt, proj.release);
  const gateIndex: Record<string, number> = { i: 0, f: 1, g: 2, o: 3 };
  return {
    hs,
    final: { h: hs.slice((T - 1) * B * H), c: cT },
    quantityView(name) {
      life.check();
      if (name === 'h') return { at: hbuf + B * H * 4, stride: H };
      if (name === 'c') return { at: cbuf + B * H * 4, stride: H };
      const gate = gateIndex[name];
      if (gate === undefined) throw new Error(`the LSTM has no quantity ${name}`);
      return { at: proj.act + gate * H * 4, stride: G };
    },
    quantity(name) {
      return readView(rt, this.quantityView(name), rows, H);
    },
    backward(dhsIn, dFinal) {
      life.check();
      const dhs = rt.upload(addFinalH(dhsIn, dFinal.h, T, B, H));
      const dhn = uploadOrZeros(rt, undefined, B * H);
      const dcn = uploadOrZeros(rt, dFinal.c, B * H);
      const dz = rt.alloc(rows * G * 4);
      const ut = uploadBlockTransposed(rt, w.recurrentKernel, H, G, 0, G);
      rt.parallel('lstmBackward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, ut.at, ut.packed, cbuf, dhs, dz, dhn, dcn]));
      ut.release();
      const dU = rt.alloc(H * G * 4);
      rt.gemm(H, G, rows, hbuf, 1, H, dz, G, dU, G, false); // Σ_t h_{t-1}ᵀ dz_t
      const grads = collectGradients(rt, proj.backward(dz), dU, H * G, { h: dhn, c: dcn }, B * H);
      [dhs, dz].forEach((p) => rt.release(p));
      life.release();
      return grads;
    },
    release: life.release,
  };
};
