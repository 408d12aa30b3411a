import { BadRequestError, ConflictError } from '../errors.ts';
import { saliencyBatch } from '../../models/saliency.ts';
import type { SaliencySource } from './saliency-source.ts';
import { DEFAULT_SALIENCY_WINDOW, MAX_SALIENCY_WINDOW } from './saliency-limits.ts';
import { SALIENCY_BURN_IN } from './saliency-burn-in.ts';
import { sequenceAt } from '../corpus/sequences.ts';

/**
 * Saliency questions about a loaded model and text (models/saliency.ts holds the maths):
 * one position's window, and how saliency decays with distance averaged over many positions.
 *
 * Positions follow the recording's convention: position p is the state after reading character
 * p, and its prediction is for character p + 1. The window is the W characters p-W+1 .. p.
 */
export { DEFAULT_SALIENCY_WINDOW, MAX_SALIENCY_WINDOW };
export { SALIENCY_BURN_IN };

export interface SaliencyInput {
  pos: number;
  char: string;
  /** ‖∂ log p(target) / ∂x‖₂ */
  grad: number;
  /** ∂ log p(target) / ∂x · x: the contribution of the character actually read. */
  gradXInput: number;
}

export interface SaliencyAt {
  pos: number;
  window: number;
  target: string;
  /** True when the target is the character that actually follows position pos. */
  targetIsNext: boolean;
  targetProb: number;
  checkpointId: number;
  step: number;
  inputs: SaliencyInput[];
}

/** Most characters of a sequence read before a saliency window (the rest start from zero). */
const MAX_SEQUENCE_BURN_IN = 20_000;

/** Most classes whose scores are compared to find a classifier's predicted class. */
const MAX_PREDICTED_CLASSES = 64;

/**
 * A classifier's target: the class named (a 400 for a name it lacks), else the class it predicts
 * after the window (every class scored at once as parallel streams).
 */
function classTarget(src: SaliencySource, q: { start: number; W: number; burnIn: number; target?: string | undefined }): number {
  const classes = src.classes ?? [];
  if (q.target !== undefined) {
    const k = classes.indexOf(q.target);
    if (k < 0) throw new BadRequestError(`target must be one of the classifier's classes (${classes.slice(0, 8).join(', ')}${classes.length > 8 ? ', ...' : ''}), got ${JSON.stringify(q.target)}`, 'target');
    return k;
  }
  if (classes.length > MAX_PREDICTED_CLASSES) throw new BadRequestError(`the classifier has ${classes.length} classes: name the target class`, 'target');
  const all = saliencyBatch(src.model, src.ids, classes.map(() => q.start), q.W, classes.map((_, k) => k), { burnIn: q.burnIn });
  let best = 0;
  for (let k = 1; k < classes.length; k++) if ((all.logProb[k] as number) > (all.logProb[best] as number)) best = k;
  return best;
}

function checkWindow(window: number | undefined): number {
  const W = window ?? DEFAULT_SALIENCY_WINDOW;
  if (!Number.isInteger(W) || W < 1 || W > MAX_SALIENCY_WINDOW) throw new BadRequestError(`window must be an integer from 1 to ${MAX_SALIENCY_WINDOW}, got ${W}`, 'window');
  return W;
}

export function saliencyAt(src: SaliencySource, q: { pos: number; window?: number; target?: string }): SaliencyAt {
  const { pos } = q;
  if (!Number.isInteger(pos) || pos < src.start || pos >= src.end) {
    throw new BadRequestError(`pos must be an integer position from ${src.start} to ${src.end - 1} (the ${src.start === 0 ? 'corpus' : 'recorded range'}), got ${pos}`, 'pos');
  }
  // A corpus of sequences: the window and the text before it stay inside pos's sequence.
  const seqStart = src.sequenceStarts ? (src.sequenceStarts[sequenceAt(src.sequenceStarts, pos)] ?? 0) : 0;
  const W = Math.min(checkWindow(q.window), pos - seqStart + 1);
  const start = pos - W + 1;
  const burnIn = src.sequenceStarts ? Math.min(start - seqStart, MAX_SEQUENCE_BURN_IN) : SALIENCY_BURN_IN;
  let target: number;
  if (src.classes) {
    target = classTarget(src, { start, W, burnIn, target: q.target });
  } else if (q.target !== undefined) {
    // A character (or, for a word-level model, a word) of the model's vocabulary.
    const id = src.vocab.index.get(q.target);
    if (id === undefined && [...q.target].length !== 1 && src.vocab.chars.every((c) => [...c].length === 1)) throw new BadRequestError(`target must be one character, got ${JSON.stringify(q.target)}`, 'target');
    if (id === undefined) throw new BadRequestError(`target ${JSON.stringify(q.target)} is not in the model's vocabulary`, 'target');
    target = id;
  } else {
    const next = src.ids[pos + 1];
    if (next === undefined) throw new BadRequestError(`position ${pos} is the last character: nothing follows it, so name a target character`, 'target');
    target = next;
  }
  const out = saliencyBatch(src.model, src.ids, [start], W, [target], { burnIn });
  const inputs: SaliencyInput[] = [];
  for (let k = 0; k < W; k++) {
    inputs.push({ pos: start + k, char: src.vocab.chars[src.ids[start + k] ?? 0] ?? '', grad: out.grad[k] ?? 0, gradXInput: out.gradXInput[k] ?? 0 });
  }
  return {
    pos,
    window: W,
    target: src.classes ? (src.classes[target] ?? '') : (src.vocab.chars[target] ?? ''),
    // A classifier: whether the target is the class it predicts after pos.
    targetIsNext: src.classes ? q.target === undefined || classTarget(src, { start, W, burnIn }) === target : src.ids[pos + 1] === target,
    targetProb: Math.exp(out.logProb[0] ?? -Infinity),
    checkpointId: src.checkpointId,
    step: src.step,
    inputs,
  };
}

export interface SaliencyDecay {
  window: number;
  /** Positions averaged over. */
  samples: number;
  /** Per distance d = 0 .. window-1 (d = 0: the character just read): mean gradient norm. */
  meanGrad: number[];
  /** Mean |gradient × input| per distance. */
  meanAbsGradXInput: number[];
  checkpointId: number;
  step: number;
}

/** Positions spread evenly over the range, each with a full window and a next character. */
export function decaySamplePositions(start: number, end: number, window: number, samples: number): number[] {
  const lo = start + window - 1;
  const hi = end - 2;
  if (hi < lo) return [];
  const n = Math.min(samples, hi - lo + 1);
  return Array.from({ length: n }, (_, i) => lo + Math.floor(((hi - lo + 1) * (2 * i + 1)) / (2 * n)));
}

const BATCH = 32;

/**
 * How saliency decays with distance: gradient norms averaged per distance over `samples`
 * positions spread over the source's range, each predicting its true next character.
 */
export function saliencyDecay(src: SaliencySource, q: { window?: number; samples?: number }): SaliencyDecay {
  if (src.classes) throw new ConflictError('the decay of saliency with distance is measured on next-character predictions; for a classifier, ask the saliency of its class position by position');
  const W = checkWindow(q.window);
  const samples = q.samples ?? 256;
  if (!Number.isInteger(samples) || samples < 1 || samples > 4096) throw new BadRequestError(`samples must be an integer from 1 to 4096, got ${samples}`, 'samples');
  const positions = decaySamplePositions(src.start, src.end, W, samples);
  if (positions.length === 0) throw new BadRequestError(`the range ${src.start}..${src.end} is too short for a window of ${W}`, 'window');
  const sumGrad = new Float64Array(W);
  const sumGxi = new Float64Array(W);
  for (let i = 0; i < positions.length; i += BATCH) {
    const batch = positions.slice(i, i + BATCH);
    const out = saliencyBatch(src.model, src.ids, batch.map((p) => p - W + 1), W, batch.map((p) => src.ids[p + 1] ?? 0), { burnIn: SALIENCY_BURN_IN });
    batch.forEach((_, b) => {
      for (let k = 0; k < W; k++) {
        // Offset k in the window is distance W-1-k from the prediction.
        const d = W - 1 - k;
        sumGrad[d] = (sumGrad[d] ?? 0) + (out.grad[b * W + k] ?? 0);
        sumGxi[d] = (sumGxi[d] ?? 0) + Math.abs(out.gradXInput[b * W + k] ?? 0);
      }
    });
  }
  const n = positions.length;
  return {
    window: W,
    samples: n,
    meanGrad: Array.from(sumGrad, (v) => v / n),
    meanAbsGradXInput: Array.from(sumGxi, (v) => v / n),
    checkpointId: src.checkpointId,
    step: src.step,
  };
}

// A decay profile costs seconds and does not change for a checkpoint: computed once per question.
const decayCache = new Map<string, SaliencyDecay>();

export function cachedSaliencyDecay(src: SaliencySource, q: { window?: number; samples?: number }): SaliencyDecay {
  const key = `${src.key}:${q.window ?? DEFAULT_SALIENCY_WINDOW}:${q.samples ?? 256}`;
  const hit = decayCache.get(key);
  if (hit) return hit;
  const out = saliencyDecay(src, q);
  if (decayCache.size >= 16) decayCache.delete(decayCache.keys().next().value as string);
  decayCache.set(key, out);
  return out;
}
