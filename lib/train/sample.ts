import { tf } from '../tf/backend.ts';
import { disposeStates, oneHotRows, outputLogits, stackStep, zeroStates, type CharModel } from '../../models/char-model.ts';
import { keepState, type CellState } from '../../models/cell-spec.ts';
import type { Vocab } from '../corpus/vocab.ts';

export interface SampleOptions {
  /** Text fed first; its characters must be in the vocabulary. Default: a newline if known. */
  prime?: string;
  length: number;
  /** Softmax temperature: < 1 sharper, > 1 more random. */
  temperature: number;
  seed?: number;
}

/** A small seeded PRNG (mulberry32) so a sample can be reproduced. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws index k with probability p[k] (p sums to 1 up to rounding). */
export function drawIndex(p: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let k = 0; k < p.length; k++) {
    acc += p[k] ?? 0;
    if (u < acc) return k;
  }
  return p.length - 1;
}

/**
 * The sampling loop any stepper shares: reads the prime (default: a newline if the vocabulary
 * has one), then draws `length` characters, each fed back. `feed` steps the model on a token
 * and returns the next token's probabilities (at the options' temperature).
 */
export function writeSample(vocab: Vocab, opts: SampleOptions, feed: (id: number) => ArrayLike<number>): string {
  const rand = mulberry32(opts.seed ?? Date.now() & 0x7fffffff);
  const primeChars = Array.from(opts.prime && opts.prime.length > 0 ? opts.prime : vocab.index.has('\n') ? '\n' : (vocab.chars[0] ?? ''));
  for (const ch of primeChars) {
    if (!vocab.index.has(ch)) throw new Error(`prime character ${JSON.stringify(ch)} is not in the model's vocabulary`);
  }
  let probs: ArrayLike<number> = [];
  for (const ch of primeChars) probs = feed(vocab.index.get(ch) ?? 0);
  let out = '';
  for (let k = 0; k < opts.length; k++) {
    const id = drawIndex(probs, rand());
    out += vocab.chars[id] ?? '';
    if (k < opts.length - 1) probs = feed(id);
  }
  return out;
}

/** Generates `length` characters after the prime, one stream, sampling at `temperature`. */
export function sampleText(model: CharModel, vocab: Vocab, opts: SampleOptions): string {
  let states: CellState[] = zeroStates(model, 1);
  const feed = (id: number): Float32Array => {
    const prev = states;
    let next: CellState[] = prev;
    let probs: Float32Array = new Float32Array(0);
    tf.tidy(() => {
      const out = stackStep(model, oneHotRows(Int32Array.from([id]), model.shape.vocabSize), prev);
      next = out.states.map(keepState);
      // Assigned, not returned: tf.tidy walks returned containers element by element.
      probs = tf.softmax(tf.div(outputLogits(model, out.top), tf.scalar(opts.temperature))).dataSync() as Float32Array;
    });
    disposeStates(prev);
    states = next;
    return probs;
  };
  try {
    return writeSample(vocab, opts, feed);
  } finally {
    disposeStates(states);
  }
}
