import { tf } from '../tf/backend.ts';
import { keepState, type CellState } from '../../models/cell-spec.ts';
import { disposeStates, oneHotRows, outputLogits, stackStep, zeroStates, type CharModel } from '../../models/char-model.ts';

/**
 * Fraction of `targets` positions where the model's most likely next character is the true one,
 * running the model once over ids[0, end) in a single stream from a zero state. For the memory
 * tasks (lib/corpus/tasks), whose targets are the characters only memory can predict.
 */
export function targetAccuracy(model: CharModel, ids: Int32Array, targets: readonly number[]): number {
  if (targets.length === 0) return Number.NaN;
  const end = Math.min(ids.length - 1, Math.max(...targets) + 1);
  const wanted = new Set(targets.filter((t) => t < end));
  let states: CellState[] = zeroStates(model, 1);
  let hits = 0;
  for (let p = 0; p < end; p++) {
    const prev = states;
    let next: CellState[] = prev;
    let argmax = -1;
    tf.tidy(() => {
      const out = stackStep(model, oneHotRows(Int32Array.from([ids[p] ?? 0]), model.shape.vocabSize), prev);
      next = out.states.map(keepState);
      if (wanted.has(p)) argmax = tf.argMax(outputLogits(model, out.top), 1).dataSync()[0] ?? -1;
    });
    disposeStates(prev);
    states = next;
    if (wanted.has(p) && argmax === ids[p + 1]) hits++;
  }
  disposeStates(states);
  return hits / wanted.size;
}
