import { tf } from '../../../../lib/tf/backend.ts';
import type { CellSpec } from '../../../../models/cell-spec.ts';

/** A small random problem for comparing a fused layer with the plain tfjs cell. */
export interface Problem {
  T: number;
  B: number;
  H: number;
  In: number;
  /** Token ids (one-hot input) or a dense input, rows t·B + b. */
  ids?: Int32Array;
  x?: Float32Array;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  state0: Record<string, Float32Array>;
  /** Loss weights: L = Σ hs ⊙ dh + Σ_state final ⊙ dFinal[state]. */
  dh: Float32Array;
  dFinal: Record<string, Float32Array>;
}

export function randomProblem(spec: CellSpec, T: number, B: number, H: number, In: number, dense: boolean, seed: number): Problem {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const arr = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => rand() * 2 * scale);
  // The cell's own weight shapes (an RHN's recurrent kernel and bias span its micro-layers).
  const shapes = tf.tidy(() => {
    const w = spec.init(In, H, 1);
    const out = { kernel: w.kernel.size, recurrentKernel: w.recurrentKernel.size, bias: w.bias.size };
    tf.dispose([w.kernel, w.recurrentKernel, w.bias, ...Object.values(w.extras ?? {})]);
    return out;
  });
  return {
    T, B, H, In,
    ...(dense ? { x: arr(T * B * In, 1) } : { ids: Int32Array.from({ length: T * B }, () => Math.floor((rand() + 0.5) * In) % In) }),
    kernel: arr(shapes.kernel, 0.5),
    recurrentKernel: arr(shapes.recurrentKernel, 0.4),
    bias: arr(shapes.bias, 0.3),
    state0: Object.fromEntries(spec.stateNames.map((n) => [n, arr(B * H, 0.5)])),
    dh: arr(T * B * H, 1),
    dFinal: Object.fromEntries(spec.stateNames.map((n) => [n, arr(B * H, 1)])),
  };
}

export interface Reference {
  hs: Float32Array;
  final: Record<string, Float32Array>;
  quantities: Record<string, Float32Array>;
  grads: Record<string, Float32Array>;
}

/** Runs spec.step over the sequence in tfjs and differentiates L with tf.grads. */
export function tfjsReference(spec: CellSpec, p: Problem): Reference {
  return tf.tidy(() => {
    const { T, B, H, In } = p;
    const xAll = p.ids ? tf.oneHot(tf.tensor1d(p.ids, 'int32'), In).toFloat() : tf.tensor2d(p.x as Float32Array, [T * B, In]);
    const names = spec.stateNames;
    const inputs = [
      xAll,
      tf.tensor2d(p.kernel, [In, p.kernel.length / In]),
      tf.tensor2d(p.recurrentKernel, [H, p.recurrentKernel.length / H]),
      tf.tensor1d(p.bias),
      ...names.map((n) => tf.tensor2d(p.state0[n] as Float32Array, [B, H])),
    ];
    const collected: { hs?: tf.Tensor; final?: tf.Tensor[]; quantities?: Record<string, tf.Tensor> } = {};
    const lossOf = (...args: tf.Tensor[]): tf.Scalar => {
      const [x, kernel, recurrentKernel, bias, ...st] = args as tf.Tensor2D[];
      let state = Object.fromEntries(names.map((n, k) => [n, st[k] as tf.Tensor2D]));
      const hs: tf.Tensor2D[] = [];
      const qs: Record<string, tf.Tensor2D[]> = {};
      for (let t = 0; t < T; t++) {
        const xt = tf.slice(x as tf.Tensor2D, [t * B, 0], [B, In]);
        const out = spec.step(xt, state, { kernel: kernel as tf.Tensor2D, recurrentKernel: recurrentKernel as tf.Tensor2D, bias: bias as unknown as tf.Tensor1D });
        state = out.state;
        hs.push(out.state.h as tf.Tensor2D);
        for (const [k, v] of Object.entries(out.quantities)) (qs[k] ??= []).push(v);
      }
      const hAll = tf.concat(hs, 0);
      collected.hs = hAll;
      collected.final = names.map((n) => state[n] as tf.Tensor);
      collected.quantities = Object.fromEntries(Object.entries(qs).map(([k, v]) => [k, tf.concat(v, 0)]));
      let loss = tf.sum(tf.mul(hAll, tf.tensor2d(p.dh, [T * B, H])));
      names.forEach((n) => {
        loss = tf.add(loss, tf.sum(tf.mul(state[n] as tf.Tensor, tf.tensor2d(p.dFinal[n] as Float32Array, [B, H]))));
      });
      return loss as tf.Scalar;
    };
    const read = (t: tf.Tensor | undefined): Float32Array => Float32Array.from(t?.dataSync() ?? []);
    // Forward once for the values (tf.grads disposes its intermediates), then differentiate.
    lossOf(...inputs);
    const values = {
      hs: read(collected.hs),
      final: Object.fromEntries(names.map((n, k) => [n, read(collected.final?.[k])])),
      quantities: Object.fromEntries(Object.entries(collected.quantities ?? {}).map(([k, v]) => [k, read(v)])),
    };
    const grads = tf.grads(lossOf)(inputs);
    return {
      ...values,
      grads: {
        x: read(grads[0]),
        kernel: read(grads[1]),
        recurrentKernel: read(grads[2]),
        bias: read(grads[3]),
        ...Object.fromEntries(names.map((n, k) => [`${n}0`, read(grads[4 + k])])),
      },
    };
  });
}


export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
