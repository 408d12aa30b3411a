import type { CellOptions } from '../architectures.ts';
import { splitRows, type KernelRuntime } from './kernels.ts';
import { projectInput, takeAndRelease } from './input-projection.ts';
import { addFinalH, hiddenSizeOf, type LayerForward } from './layer-pass.ts';
import { passLifetime, readView, stateSequence, uploadOrZeros } from './sequence-buffers.ts';
import { uploadBlock, uploadBlockTransposed, type PackedBlock } from './weight-blocks.ts';

/**
 * A Recurrent Highway Network layer (models/rhn.ts: depth L, coupled or separate carry gates)
 * over a whole sequence on the fused kernels (assembly/rhn.ts). Its T·L micro-steps form one
 * chain; the weight gradient of micro-layer k gathers that layer's T micro-steps into one product.
 */
export function rhnLayerForward(options: CellOptions): LayerForward {
  const L = options.depth;
  const coupled = options.coupled;
  const G = coupled ? 2 : 3;
  return (rt, input, w, state0, T, B) => {
    const { h: h0 } = state0;
    const H = hiddenSizeOf('RHN', h0, B);
    const E = G * H;
    if (!h0 || w.recurrentKernel.length !== H * L * E || w.bias.length !== L * E) throw new Error('fused RHN: weight or state shapes do not match the hidden size and depth');
    const rows = T * B;
    const proj = projectInput(rt, input, w.kernel, w.bias.subarray(0, E), rows, E);
    const bias = rt.upload(w.bias);
    const acts = rt.alloc(T * L * B * E * 4);
    const sbuf = stateSequence(rt, h0, T * L, B, H);
    const batchParts = splitRows(B, rt.threads);
    const r = blockTable(rt, Array.from({ length: L }, (_, k) => uploadBlock(rt, w.recurrentKernel, H, L * E, k * E, (k + 1) * E)));
    rt.parallel('rhnForward', batchParts.map(([b0, b1]) => [T, B, H, L, coupled ? 1 : 0, b0, b1, proj.act, bias, acts, sbuf, r.table, r.packed]));
    r.release();
    // h_t = s at the end of timestep t: slot (t + 1)·L of sbuf.
    const hsAt = gatherRows(rt, sbuf + L * B * H * 4, T, L * B * H, B * H);
    const hs = rt.download(hsAt, rows * H);
    const gathered: number[] = [hsAt];
    const life = passLifetime('RHN', [proj.act, bias, acts, sbuf], rt, () => {
      proj.release();
      gathered.forEach((p) => rt.release(p));
    });
    /** Micro-layer k's block `block` of acts as [T·B, H]. */
    const gate = (k: number, block: number): number => {
      const at = gatherRows(rt, acts + (k * B * E + block * H) * 4, T, L * B * E, B * E, H, E);
      gathered.push(at);
      return at;
    };
    return {
      hs,
      final: { h: hs.slice((T - 1) * B * H) },
      quantityView(name) {
        life.check();
        if (name === 'h') return { at: hsAt, stride: H };
        const m = /^([tc])(\d+)$/.exec(name);
        const k = Number(m?.[2]);
        if (!m || k >= L || (m[1] === 'c' && coupled)) throw new Error(`this RHN has no quantity ${name}`);
        return { at: gate(k, m[1] === 't' ? 1 : 2), stride: H };
      },
      quantity(name) {
        return readView(rt, this.quantityView(name), rows, H);
      },
      backward(dhsIn, dFinal) {
        life.check();
        const dhs = rt.upload(addFinalH(dhsIn, dFinal.h, T, B, H));
        const ds = uploadOrZeros(rt, undefined, B * H);
        const dacts = rt.alloc(T * L * B * E * 4);
        const rtT = blockTable(rt, Array.from({ length: L }, (_, k) => uploadBlockTransposed(rt, w.recurrentKernel, H, L * E, k * E, (k + 1) * E)));
        rt.parallel('rhnBackward', batchParts.map(([b0, b1]) => [T, B, H, L, coupled ? 1 : 0, b0, b1, acts, sbuf, rtT.table, rtT.packed, dhs, dacts, ds]));
        rtT.release();
        const dR = rt.alloc(H * L * E * 4);
        const dBias = new Float32Array(L * E);
        let inputGrads: { dW: Float32Array; db: Float32Array; dX?: Float32Array } | undefined;
        for (let k = 0; k < L; k++) {
          // Micro-layer k's inputs s_{j-1} (slots t·L + k) and pre-activation gradients, gathered.
          const sk = gatherRows(rt, sbuf + k * B * H * 4, T, L * B * H, B * H);
          const dak = gatherRows(rt, dacts + k * B * E * 4, T, L * B * E, B * E);
          rt.gemm(H, E, rows, sk, 1, H, dak, E, dR + k * E * 4, L * E, false);
          if (k === 0) {
            inputGrads = proj.backward(dak);
            dBias.set(inputGrads.db, 0);
          } else {
            const db = rt.alloc(E * 4);
            rt.call('columnSums', rows, E, dak, db);
            dBias.set(takeAndRelease(rt, db, E), k * E);
          }
          rt.release(sk);
          rt.release(dak);
        }
        const grads = {
          kernel: inputGrads?.dW ?? new Float32Array(),
          recurrentKernel: takeAndRelease(rt, dR, H * L * E),
          bias: dBias,
          ...(inputGrads?.dX ? { x: inputGrads.dX } : {}),
          state0: { h: takeAndRelease(rt, ds, B * H) },
        };
        [dhs, dacts].forEach((p) => rt.release(p));
        life.release();
        return grads;
      },
      release: life.release,
    };
  };
}

/** A table of L block addresses in kernel memory (u32), for kernels that index blocks by k. */
function blockTable(rt: KernelRuntime, blocks: PackedBlock[]): { table: number; packed: 0 | 1; release(): void } {
  const table = rt.upload(Int32Array.from(blocks, (b) => b.at));
  return {
    table,
    packed: blocks[0]?.packed ?? 0,
    release() {
      blocks.forEach((b) => b.release());
      rt.release(table);
    },
  };
}

/**
 * Copies `count` groups into a new contiguous block: group t starts at src + t·stride floats
 * and holds `groupFloats` floats, or, with `width` < `rowFloats`, its rows' first `width` floats.
 */
function gatherRows(rt: KernelRuntime, src: number, count: number, stride: number, groupFloats: number, width?: number, rowFloats?: number): number {
  const w = width ?? groupFloats;
  const perRow = rowFloats ?? groupFloats;
  const rowsPerGroup = groupFloats / perRow;
  const at = rt.alloc(count * rowsPerGroup * w * 4);
  const f = rt.f32();
  let out = at / 4;
  for (let t = 0; t < count; t++) {
    const base = src / 4 + t * stride;
    if (w === perRow) {
      f.copyWithin(out, base, base + groupFloats);
      out += groupFloats;
    } else {
      for (let q = 0; q < rowsPerGroup; q++, out += w) f.copyWithin(out, base + q * perRow, base + q * perRow + w);
    }
  }
  return at;
}
