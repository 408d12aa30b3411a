import { splitRows } from './kernels.ts';
import { projectInput } from './input-projection.ts';
import { addFinalH, collectGradients, hiddenSizeOf, type LayerForward } from './layer-pass.ts';
import { passLifetime, readView, stateSequence, uploadOrZeros } from './sequence-buffers.ts';
import { uploadBlock, uploadBlockTransposed } from './weight-blocks.ts';

/**
 * One GRU layer over a whole sequence on the fused kernels (assembly/gru.ts): the reset-before
 * form of models/gru.ts, blocks z, r, n. U splits into its z|r block [H, 2H] (multiplies h) and
 * its n block [H, H] (multiplies r ⊙ h), so the pass keeps r ⊙ h for Un's gradient.
 */
export const gruLayerForward: LayerForward = (rt, input, w, state0, T, B) => {
  const { h: h0 } = state0;
  const H = hiddenSizeOf('GRU', h0, B);
  const G = 3 * H;
  if (!h0 || w.recurrentKernel.length !== H * G || w.bias.length !== G) throw new Error('fused GRU: weight or state shapes do not match the hidden size');
  const rows = T * B;
  const proj = projectInput(rt, input, w.kernel, w.bias, rows, G);
  const hbuf = stateSequence(rt, h0, T, B, H);
  const rh = rt.alloc(rows * H * 4);
  const batchParts = splitRows(B, rt.threads);
  const uzr = uploadBlock(rt, w.recurrentKernel, H, G, 0, 2 * H);
  const un = uploadBlock(rt, w.recurrentKernel, H, G, 2 * H, G);
  rt.parallel('gruForward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, uzr.at, uzr.packed, un.at, un.packed, hbuf, rh]));
  uzr.release();
  un.release();
  const hs = rt.download(hbuf + B * H * 4, rows * H);
  const life = passLifetime('GRU', [proj.act, hbuf, rh], rt, proj.release);
  const gateIndex: Record<string, number> = { z: 0, r: 1, n: 2 };
  return {
    hs,
    final: { h: hs.slice((T - 1) * B * H) },
    quantityView(name) {
      life.check();
      if (name === 'h') return { at: hbuf + B * H * 4, stride: H };
      const gate = gateIndex[name];
      if (gate === undefined) throw new Error(`the GRU has no quantity ${name}`);
      return { at: proj.act + gate * H * 4, stride: G };
    },
    quantity(name) {
      return readView(rt, this.quantityView(name), rows, H);
    },
    backward(dhsIn, dFinal) {
      life.check();
      const dhs = rt.upload(addFinalH(dhsIn, dFinal.h, T, B, H));
      const dhn = uploadOrZeros(rt, undefined, B * H);
      const drh = rt.alloc(B * H * 4);
      const dz = rt.alloc(rows * G * 4);
      const uzrT = uploadBlockTransposed(rt, w.recurrentKernel, H, G, 0, 2 * H);
      const unT = uploadBlockTransposed(rt, w.recurrentKernel, H, G, 2 * H, G);
      rt.parallel('gruBackward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, hbuf, uzrT.at, uzrT.packed, unT.at, unT.packed, dhs, dz, dhn, drh]));
      uzrT.release();
      unT.release();
      // dU[:, 0:2H] = Σ h_{t-1}ᵀ [dz, dr];  dU[:, 2H:3H] = Σ (r ⊙ h_{t-1})ᵀ dn
      const dU = rt.alloc(H * G * 4);
      rt.gemm(H, 2 * H, rows, hbuf, 1, H, dz, G, dU, G, false);
      rt.gemm(H, H, rows, rh, 1, H, dz + 2 * H * 4, G, dU + 2 * H * 4, G, false);
      const grads = collectGradients(rt, proj.backward(dz), dU, H * G, { h: dhn }, B * H);
      [dhs, drh, dz].forEach((p) => rt.release(p));
      life.release();
      return grads;
    },
    release: life.release,
  };
};
