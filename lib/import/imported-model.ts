import type { CharModelShape } from '../../models/char-model.ts';
import type { NamedArray } from '../train/weights-codec.ts';

/** A model read from another framework's files, mapped onto Cellscope's instrumented cells. */
export interface ImportedModel {
  shape: CharModelShape;
  /** In Cellscope's checkpoint names and layouts (Keras-style: lstm_0/kernel [in, G·H], ...). */
  weights: NamedArray[];
  /** What was guessed or left out, in words the upload form shows. */
  warnings: string[];
  /** e.g. "Embedding(65→32) → 2 × LSTM(128) → Dense softmax(65)" */
  summary: string;
}
