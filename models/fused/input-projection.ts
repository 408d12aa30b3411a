import { splitRows, type KernelRuntime } from './kernels.ts';

/**
 * The input side of a fused recurrent layer: the pre-activations x_t W + b for all T·B rows at
 * once (row r = t·B + b), before the sequential part. Token ids (the one-hot first layer) are a
 * row gather of W, and W's gradient a scatter-add; dense inputs (the layers above) are one large
 * product, split over threads.
 */
export type LayerInput = { ids: Int32Array; vocab: number } | { x: Float32Array; dim: number };

export interface Projection {
  /** [rows, G] pre-activations, owned by the caller of projectInput (release it). */
  act: number;
  /** Gradients of W [In, G] and b [G] (and of x [rows, In] for dense inputs) from dz [rows, G]. */
  backward(dz: number): { dW: Float32Array; db: Float32Array; dX?: Float32Array };
  /** Frees what the projection kept for its backward pass (not `act`). */
  release(): void;
}

export function inputDim(input: LayerInput): number {
  return 'ids' in input ? input.vocab : input.dim;
}

export function projectInput(rt: KernelRuntime, input: LayerInput, kernel: Float32Array, bias: Float32Array, rows: number, G: number): Projection {
  const In = inputDim(input);
  if (kernel.length !== In * G) throw new Error(`input kernel has ${kernel.length} values, expected ${In} x ${G}`);
  const w = rt.upload(kernel);
  const b = rt.upload(bias);
  const act = rt.alloc(rows * G * 4);
  const kept = [w, b];
  let backward: Projection['backward'];
  if ('ids' in input) {
    if (input.ids.length !== rows) throw new Error(`${input.ids.length} ids for ${rows} rows`);
    const ids = rt.upload(input.ids);
    kept.push(ids);
    rt.parallel('gatherRowsAddBias', splitRows(rows, rt.threads).map(([r0, r1]) => [r1 - r0, G, ids + r0 * 4, w, b, act + r0 * G * 4]));
    backward = (dz) => {
      const dW = rt.alloc(In * G * 4);
      rt.zero(dW, In * G * 4);
      rt.call('scatterAddRows', rows, G, ids, dz, dW);
      return { dW: takeAndRelease(rt, dW, In * G), db: columnSums(rt, rows, G, dz) };
    };
  } else {
    if (input.x.length !== rows * In) throw new Error(`layer input has ${input.x.length} values, expected ${rows} x ${In}`);
    const x = rt.upload(input.x);
    kept.push(x);
    rt.call('fillRows', rows, G, b, act);
    rt.gemm(rows, G, In, x, In, 1, w, G, act, G, true);
    backward = (dz) => {
      const dW = rt.alloc(In * G * 4);
      rt.gemm(In, G, rows, x, 1, In, dz, G, dW, G, false); // Xᵀ dz
      const wt = rt.alloc(In * G * 4);
      rt.transpose(In, G, w, wt);
      const dX = rt.alloc(rows * In * 4);
      rt.gemm(rows, In, G, dz, G, 1, wt, In, dX, In, false); // dz Wᵀ
      rt.release(wt);
      return { dW: takeAndRelease(rt, dW, In * G), db: columnSums(rt, rows, G, dz), dX: takeAndRelease(rt, dX, rows * In) };
    };
  }
  return { act, backward, release: () => kept.forEach((p) => rt.release(p)) };
}

function columnSums(rt: KernelRuntime, rows: number, G: number, dz: number): Float32Array {
  const db = rt.alloc(G * 4);
  rt.call('columnSums', rows, G, dz, db);
  return takeAndRelease(rt, db, G);
}

/** Copies `count` floats out of a block and frees it. */
export function takeAndRelease(rt: KernelRuntime, at: number, count: number): Float32Array {
  const out = rt.download(at, count);
  rt.release(at);
  return out;
}
