import { tf } from '../lib/tf/backend.ts';
import { disposeStates, keepState, type CellState } from './cell-spec.ts';
import { oneHotRows, outputLogits, stackStep, zeroStates, type CharModel } from './char-model.ts';
import { readoutSize } from './architectures.ts';

/**
 * Input saliency (Li et al. 2016, "Visualizing and Understanding Neural Models in NLP"): the
 * gradient of log p(target | inputs) with respect to each one-hot input vector of the W steps
 * before a prediction. For each input position s of the window:
 *   grad[s]       = ‖∂ log p / ∂x_s‖₂ over the vocabulary components;
 *   gradXInput[s] = ∂ log p / ∂x_s · x_s, which for a one-hot x_s is the component of the
 *                   character actually read (its first-order contribution to log p).
 * The state entering the window is computed from the text before it (no gradient through it):
 * saliency measures what the model reads in the window, with the earlier context held fixed.
 *
 * Several predictions are computed together as a batch of independent streams, every one with
 * the same window length: stream b reads ids[starts[b] .. starts[b] + W) and is scored on
 * targets[b], the character after its window.
 */
export interface SaliencyBatch {
  /** Per stream b, per window offset k (k = 0 the oldest input): row b·W + k. */
  grad: Float32Array;
  gradXInput: Float32Array;
  /** log p(target) per stream. */
  logProb: Float32Array;
}

/**
 * Runs the model over `burnIn` characters before each window without gradients and returns the
 * states entering the windows (zero state where a window starts at the corpus start).
 */
export function windowStartStates(model: CharModel, ids: Int32Array, starts: readonly number[], burnIn: number): CellState[] {
  const S = starts.length;
  let states = zeroStates(model, S);
  const begin = starts.map((s) => Math.max(0, s - burnIn));
  const steps = Math.max(0, ...starts.map((s, b) => s - (begin[b] ?? 0)));
  const V = model.shape.vocabSize;
  for (let k = 0; k < steps; k++) {
    // Streams with less history start later: a stream reads once its own burn-in begins, and
    // keeps a zero state (its state before the corpus start) until then.
    const row = new Int32Array(S);
    const active = new Float32Array(S);
    for (let b = 0; b < S; b++) {
      const t = (starts[b] ?? 0) - steps + k;
      if (t >= (begin[b] ?? 0)) {
        row[b] = ids[t] ?? 0;
        active[b] = 1;
      }
    }
    const prev = states;
    states = tf.tidy(() => {
      const step = stackStep(model, oneHotRows(row, V), prev);
      const mask = tf.tensor2d(active, [S, 1]);
      const keep = tf.sub(1, mask);
      return step.states.map((st, l) =>
        keepState(Object.fromEntries(Object.entries(st).map(([n, t]) => [n, tf.add(tf.mul(t, mask), tf.mul(prev[l]?.[n] as tf.Tensor2D, keep)) as tf.Tensor2D]))),
      );
    });
    disposeStates(prev);
  }
  return states;
}

/** log p(targets) summed over streams, for inputs X [W, S, V] from states `init`. */
function windowLogProb(model: CharModel, X: tf.Tensor3D, init: CellState[], targets: tf.Tensor1D): { total: tf.Scalar; perStream: tf.Tensor1D } {
  const W = X.shape[0];
  let states = init;
  let top: tf.Tensor2D | undefined;
  // tfjs's gradient of a one-output unstack fails ("passed to stack must be a Tensor[]"): a
  // one-step window is a reshape instead.
  const rows = W === 1 ? [tf.reshape(X, [X.shape[1], X.shape[2]]) as tf.Tensor2D] : (tf.unstack(X, 0) as tf.Tensor2D[]);
  for (let k = 0; k < W; k++) {
    const step = stackStep(model, rows[k] as tf.Tensor2D, states);
    states = step.states;
    top = step.top;
  }
  if (!top) throw new Error('saliency needs a window of at least one step');
  const logp = tf.logSoftmax(outputLogits(model, top));
  const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, readoutSize(model.shape))), 1) as tf.Tensor1D;
  return { total: tf.sum(picked) as tf.Scalar, perStream: picked };
}

/**
 * Saliency for streams reading windows ids[starts[b] .. starts[b]+W) and predicting targets[b].
 * `inputs` (optional, [W·S·V] row-major over (k, b, v)) replaces the one-hot inputs: the
 * finite-difference test perturbs single components through it.
 */
export function saliencyBatch(
  model: CharModel,
  ids: Int32Array,
  starts: readonly number[],
  W: number,
  targets: readonly number[],
  opts: { burnIn?: number; inputs?: Float32Array } = {},
): SaliencyBatch {
  const S = starts.length;
  const V = model.shape.vocabSize;
  if (S === 0) return { grad: new Float32Array(0), gradXInput: new Float32Array(0), logProb: new Float32Array(0) };
  if (targets.length !== S) throw new Error(`saliency: ${S} windows but ${targets.length} targets`);
  const init = windowStartStates(model, ids, starts, opts.burnIn ?? 128);
  const windowIds = new Int32Array(W * S);
  for (let k = 0; k < W; k++) for (let b = 0; b < S; b++) windowIds[k * S + b] = ids[(starts[b] ?? 0) + k] ?? 0;
  // Results leave tf.tidy through this variable: tidy walks a returned container element by element.
  const out: SaliencyBatch = { grad: new Float32Array(S * W), gradXInput: new Float32Array(S * W), logProb: new Float32Array(S) };
  try {
    tf.tidy(() => {
      const X = opts.inputs
        ? tf.tensor3d(opts.inputs, [W, S, V])
        : (tf.reshape(oneHotRows(windowIds, V), [W, S, V]) as tf.Tensor3D);
      const tgt = tf.tensor1d(Int32Array.from(targets), 'int32');
      let perStream: tf.Tensor1D | undefined;
      const grad = tf.grad((x: tf.Tensor) => {
        const r = windowLogProb(model, x as tf.Tensor3D, init, tgt);
        perStream = tf.keep(r.perStream);
        return r.total;
      })(X);
      if (perStream) out.logProb.set(perStream.dataSync());
      tf.dispose(perStream);
      const g = grad.dataSync() as Float32Array;
      const x = X.dataSync() as Float32Array;
      for (let k = 0; k < W; k++) {
        for (let b = 0; b < S; b++) {
          let sq = 0;
          let dot = 0;
          const base = (k * S + b) * V;
          for (let v = 0; v < V; v++) {
            const gv = g[base + v] ?? 0;
            sq += gv * gv;
            dot += gv * (x[base + v] ?? 0);
          }
          out.grad[b * W + k] = Math.sqrt(sq);
          out.gradXInput[b * W + k] = dot;
        }
      }
    });
    return out;
  } finally {
    disposeStates(init);
  }
}

/** log p(targets) per stream for explicit inputs [W·S·V] (forward only; for checks). */
export function saliencyLogProb(model: CharModel, ids: Int32Array, starts: readonly number[], W: number, targets: readonly number[], inputs: Float32Array, burnIn = 128): Float32Array {
  const S = starts.length;
  const init = windowStartStates(model, ids, starts, burnIn);
  try {
    return tf.tidy(() => {
      const X = tf.tensor3d(inputs, [W, S, model.shape.vocabSize]);
      return Float32Array.from(windowLogProb(model, X, init, tf.tensor1d(Int32Array.from(targets), 'int32')).perStream.dataSync());
    });
  } finally {
    disposeStates(init);
  }
}
