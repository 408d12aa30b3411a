/**
 * Frameworks store a recurrent layer's weights as [gates·units, inputs] matrices with their gate
 * blocks in their own order (PyTorch LSTM i f g o, GRU r z n; ONNX LSTM i o f c, GRU z r h);
 * Cellscope's cells (Keras's layout) read [inputs, gates·units] with blocks i f c o and z r h.
 */

/** W [rows, cols] (out × in) as [cols, rows] with its H-row gate blocks in `order` (slot k takes block order[k]). */
export function transposeBlocks(w: Float32Array, o: { rows: number; cols: number; H: number; order: readonly number[] }): Float32Array {
  const out = new Float32Array(o.rows * o.cols);
  o.order.forEach((block, slot) => {
    for (let r = 0; r < o.H; r++) {
      const src = (block * o.H + r) * o.cols;
      const col = slot * o.H + r;
      for (let c = 0; c < o.cols; c++) out[c * o.rows + col] = w[src + c] as number;
    }
  });
  return out;
}

/** A bias's H-long gate blocks in `order`. */
export function reorderBlocks(b: Float32Array, H: number, order: readonly number[]): Float32Array {
  const out = new Float32Array(b.length);
  order.forEach((block, slot) => out.set(b.subarray(block * H, (block + 1) * H), slot * H));
  return out;
}

/** W [rows, cols] as [cols, rows]. */
export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  return transposeBlocks(w, { rows, cols, H: rows, order: [0] });
}

/** a + b, elementwise. */
export function addArrays(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => v + (b[i] as number));
}
