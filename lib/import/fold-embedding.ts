/**
 * A model that embeds its tokens (E [V, D]) before the first recurrent layer (W [D, N]) is the
 * same model with one-hot input and the first kernel E · W: Cellscope's instrumented cells read
 * one-hot rows, so an embedding is folded in at import (TensorFlow.js and PyTorch alike).
 */
/** E [V, D] · W [D, N] in float64: the first kernel of the equivalent one-hot model. */
export function foldEmbedding(E: Float32Array, W: Float32Array, V: number, D: number, N: number): Float32Array {
  const out = new Float32Array(V * N);
  const row = new Float64Array(N);
  for (let v = 0; v < V; v++) {
    row.fill(0);
    for (let d = 0; d < D; d++) {
      const e = E[v * D + d] as number;
      if (e === 0) continue;
      for (let n = 0; n < N; n++) row[n] = (row[n] as number) + e * (W[d * N + n] as number);
    }
    out.set(row, v * N);
  }
  return out;
}
