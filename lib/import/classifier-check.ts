import { tf } from '../tf/backend.ts';
import type { CorpusSequences } from '../corpus/sequences.ts';
import { BadRequestError } from '../errors.ts';
import { MAX_CLASSES } from '../train/config.ts';
import { outputLogits, topUnits, type CharModel } from '../../models/char-model.ts';
import { createSequenceRunner } from '../../models/sequence-runner.ts';

/**
 * Classifiers brought from elsewhere (issue 12: many-to-one models such as the sentiment LSTM).
 * Their class names come with the upload, as a JSON list in the read-out's order; the check at
 * import is the model's accuracy on the corpus's labelled sequences, the classifier's answer
 * being its prediction after a sequence's last token.
 */

/** The class names' JSON list (2 to MAX_CLASSES distinct non-empty strings), or a 400 saying what is wrong. */
export function parseClassNames(text: string): string[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`the classes file is not valid JSON: ${(err as Error).message}`, 'classes');
  }
  if (!Array.isArray(raw) || raw.some((c) => typeof c !== 'string' || c === '' || c.length > 200)) {
    throw new BadRequestError('the classes file must be a JSON list of class names in the read-out\'s order, e.g. ["negative", "positive"]', 'classes');
  }
  const names = raw as string[];
  if (names.length < 2 || names.length > MAX_CLASSES) throw new BadRequestError(`a classifier has 2 to ${MAX_CLASSES} classes, the file names ${names.length}`, 'classes');
  const twice = names.find((n, k) => names.indexOf(n) !== k);
  if (twice !== undefined) throw new BadRequestError(`class ${JSON.stringify(twice)} is named twice`, 'classes');
  return names;
}

export interface ClassifierCheck {
  /** Labelled sequences scored (those whose label is one of the classes, up to MAX_CHECKED). */
  sequences: number;
  /** Fraction answered right, and the mean cross-entropy (nats) of the answers; null without labelled sequences. */
  accuracy: number | null;
  loss: number | null;
}

/** Most labelled sequences the import check reads. */
export const MAX_CHECKED = 2_000;

/** The classifier's accuracy on the labelled sequences of a corpus of sequences (each read from a zero state). */
export function classifierAccuracy(model: CharModel, ids: Int32Array, sequences: CorpusSequences | null, classes: readonly string[]): ClassifierCheck {
  if (!sequences?.labels) return { sequences: 0, accuracy: null, loss: null };
  const runner = createSequenceRunner(model, 1);
  const reset = Uint8Array.of(1);
  let right = 0;
  let loss = 0;
  let scored = 0;
  try {
    for (let k = 0; k < sequences.starts.length && scored < MAX_CHECKED; k++) {
      const label = classes.indexOf(sequences.labels[k] ?? '');
      if (label < 0) continue;
      const start = sequences.starts[k] as number;
      const end = k + 1 < sequences.starts.length ? (sequences.starts[k + 1] as number) : ids.length;
      runner.resetStreams(reset);
      const { top } = runner.run(ids.slice(start, end), end - start, false);
      const H = topUnits(model);
      const logp = tf.tidy(() => tf.logSoftmax(outputLogits(model, tf.tensor2d(top.subarray((end - start - 1) * H), [1, H]))).dataSync() as Float32Array);
      let best = 0;
      for (let c = 1; c < logp.length; c++) if ((logp[c] as number) > (logp[best] as number)) best = c;
      if (best === label) right++;
      loss -= logp[label] as number;
      scored++;
    }
  } finally {
    runner.dispose();
  }
  return scored ? { sequences: scored, accuracy: right / scored, loss: loss / scored } : { sequences: 0, accuracy: null, loss: null };
}
