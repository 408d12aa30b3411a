import { splitRows } from './kernels.ts';
import { projectInput } from './input-projection.ts';
import { addFinalH, collectGradients, hiddenSizeOf, type LayerForward } from './layer-pass.ts';
import { passLifetime, readView, stateSequence, uploadOrZeros } from './sequence-buffers.ts';
import { uploadBlock, uploadBlockTransposed } from './weight-blocks.ts';

/**
 * A simple recurrent layer h' = φ(x W + h U + b) over a whole sequence on the fused kernels
 * (assembly/rnn.ts): φ = tanh for the RNN and the ESN, ReLU for the IRNN and np-RNN (their
 * initialisations differ, not their step). Recorded: h and the pre-activation a.
 */
export function simpleLayerForward(activation: 'tanh' | 'relu'): LayerForward {
  const relu = activation === 'relu' ? 1 : 0;
  return (rt, input, w, state0, T, B) => {
    const { h: h0 } = state0;
    const H = hiddenSizeOf('RNN', h0, B);
    if (!h0 || w.recurrentKernel.length !== H * H || w.bias.length !== H) throw new Error('fused RNN: weight or state shapes do not match the hidden size');
    const rows = T * B;
    const proj = projectInput(rt, input, w.kernel, w.bias, rows, H);
    const hbuf = stateSequence(rt, h0, T, B, H);
    const batchParts = splitRows(B, rt.threads);
    const u = uploadBlock(rt, w.recurrentKernel, H, H, 0, H);
    rt.parallel('rnnForward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, u.at, u.packed, hbuf, relu]));
    u.release();
    const hs = rt.download(hbuf + B * H * 4, rows * H);
    const life = passLifetime('RNN', [proj.act, hbuf], rt, proj.release);
    return {
      hs,
      final: { h: hs.slice((T - 1) * B * H) },
      quantityView(name) {
        life.check();
        if (name === 'h') return { at: hbuf + B * H * 4, stride: H };
        if (name === 'a') return { at: proj.act, stride: H };
        throw new Error(`the RNN has no quantity ${name}`);
      },
      quantity(name) {
        return readView(rt, this.quantityView(name), rows, H);
      },
      backward(dhsIn, dFinal) {
        life.check();
        const dhs = rt.upload(addFinalH(dhsIn, dFinal.h, T, B, H));
        const dhn = uploadOrZeros(rt, undefined, B * H);
        const dz = rt.alloc(rows * H * 4);
        const ut = uploadBlockTransposed(rt, w.recurrentKernel, H, H, 0, H);
        rt.parallel('rnnBackward', batchParts.map(([b0, b1]) => [T, B, H, b0, b1, proj.act, hbuf, ut.at, ut.packed, dhs, dz, dhn, relu]));
        ut.release();
        const dU = rt.alloc(H * H * 4);
        rt.gemm(H, H, rows, hbuf, 1, H, dz, H, dU, H, false);
        const grads = collectGradients(rt, proj.backward(dz), dU, H * H, { h: dhn }, B * H);
        [dhs, dz].forEach((p) => rt.release(p));
        life.release();
        return grads;
      },
      release: life.release,
    };
  };
}
