// The read-out for recording: softmax over the logits of n rows, then per row the k most likely
// ids (descending probability, lower id first on ties) with their probabilities, and the
// probability of the true next id. logits [n, V] float32 (overwritten with the probabilities),
// next [n] int32 (-1: none), topIds [n, k] int32, topProbs [n, k] float32, truth [n] float32.
import { expv } from './activations';

@inline function rowMax(row: usize, V: i32): f32 {
  let max = load<f32>(row);
  for (let j = 1; j < V; j++) max = Mathf.max(max, load<f32>(row + (<usize>j << 2)));
  return max;
}

/** Replaces row[j] by exp(row[j] - max) and returns their sum. */
@inline function expShifted(row: usize, V: i32, max: f32): f32 {
  const m4 = f32x4.splat(max);
  const v4 = V & ~3;
  let sum4 = f32x4.splat(0);
  let j = 0;
  for (; j < v4; j += 4) {
    const e = expv(f32x4.sub(v128.load(row + (<usize>j << 2)), m4));
    v128.store(row + (<usize>j << 2), e);
    sum4 = f32x4.add(sum4, e);
  }
  let sum = f32x4.extract_lane(sum4, 0) + f32x4.extract_lane(sum4, 1) + f32x4.extract_lane(sum4, 2) + f32x4.extract_lane(sum4, 3);
  for (; j < V; j++) {
    const e = f32x4.extract_lane(expv(f32x4.splat(load<f32>(row + (<usize>j << 2)) - max)), 0);
    store<f32>(row + (<usize>j << 2), e);
    sum += e;
  }
  return sum;
}

export function softmaxTopK(n: i32, V: i32, logits: usize, next: usize, k: i32, topIds: usize, topProbs: usize, truth: usize): void {
  for (let r = 0; r < n; r++) {
    const row = logits + (<usize>(r * V) << 2);
    const max = rowMax(row, V);
    const sum = expShifted(row, V, max);
    let j = 0;
    const inv = <f32>1 / sum;
    for (j = 0; j < V; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) * inv);
    // Top k in one pass: an insertion list, descending, ties keeping the lower id first.
    const ids = topIds + (<usize>(r * k) << 2);
    const probs = topProbs + (<usize>(r * k) << 2);
    for (let t = 0; t < k; t++) {
      store<i32>(ids + (<usize>t << 2), 0);
      store<f32>(probs + (<usize>t << 2), -1);
    }
    let floor: f32 = -1;
    for (j = 0; j < V; j++) {
      const p = load<f32>(row + (<usize>j << 2));
      if (p <= floor) continue;
      let t = k - 1;
      while (t > 0 && load<f32>(probs + (<usize>(t - 1) << 2)) < p) {
        store<f32>(probs + (<usize>t << 2), load<f32>(probs + (<usize>(t - 1) << 2)));
        store<i32>(ids + (<usize>t << 2), load<i32>(ids + (<usize>(t - 1) << 2)));
        t--;
      }
      store<f32>(probs + (<usize>t << 2), p);
      store<i32>(ids + (<usize>t << 2), j);
      floor = load<f32>(probs + (<usize>(k - 1) << 2));
    }
    for (let t = 0; t < k; t++) if (load<f32>(probs + (<usize>t << 2)) < 0) store<f32>(probs + (<usize>t << 2), 0);
    const nx = load<i32>(next + (<usize>r << 2));
    store<f32>(truth + (<usize>r << 2), nx >= 0 && nx < V ? load<f32>(row + (<usize>nx << 2)) : 0);
  }
}

/**
 * Softmax cross-entropy of n rows against target ids, and its gradient: on entry `logits`
 * [n, V]; on exit it holds scale · (softmax - onehot(target)), the gradient of
 * scale · Σ_r loss_r with respect to the logits. loss [n] receives each row's -log p(target).
 */
export function softmaxXent(n: i32, V: i32, logits: usize, targets: usize, scaleBits: i32, loss: usize): void {
  // The scale travels as its float32 bit pattern: helper threads receive only i32 arguments.
  const scale = reinterpret<f32>(scaleBits);
  for (let r = 0; r < n; r++) {
    const row = logits + (<usize>(r * V) << 2);
    const target = load<i32>(targets + (<usize>r << 2));
    const zt = load<f32>(row + (<usize>target << 2));
    const max = rowMax(row, V);
    const sum = expShifted(row, V, max);
    let j = 0;
    store<f32>(loss + (<usize>r << 2), Mathf.log(sum) + max - zt);
    const k = scale / sum;
    for (j = 0; j < V; j++) store<f32>(row + (<usize>j << 2), load<f32>(row + (<usize>j << 2)) * k);
    store<f32>(row + (<usize>target << 2), load<f32>(row + (<usize>target << 2)) - scale);
  }
}
