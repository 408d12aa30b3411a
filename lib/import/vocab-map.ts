import { BadRequestError } from '../errors.ts';
import { placeholderToken, vocabFromChars, type Vocab } from '../corpus/vocab.ts';

/**
 * The vocabulary uploaded with a model: a JSON object mapping each character (one Unicode code
 * point) to its token index, e.g. {"\n": 0, " ": 1, "a": 2}; for a word-level model reading a
 * word-level corpus, each word (no whitespace) to its index. Indices run from 0 to V-1 (V: the
 * model's vocabulary size); an index no character maps to (Keras's Tokenizer reserves 0 for
 * padding) gets a private-use placeholder (placeholderToken: U+F0000 + index), which no text contains.
 */
export function parseVocabMap(text: string, V: number, unit: 'char' | 'word' = 'char'): Vocab {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`the vocabulary is not valid JSON: ${(err as Error).message}`, 'vocab');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadRequestError('the vocabulary must be a JSON object mapping each character to its index, e.g. {"a": 0, "b": 1}', 'vocab');
  const chars = new Array<string | undefined>(V);
  for (const [ch, idx] of Object.entries(raw as Record<string, unknown>)) {
    if (unit === 'char' && [...ch].length !== 1) throw new BadRequestError(`vocabulary key ${JSON.stringify(ch.slice(0, 20))} is not one character, and the corpus is character-level (a word-level model reads a word-level corpus)`, 'vocab');
    if (unit === 'word' && (ch === '' || /\s/.test(ch))) throw new BadRequestError(`vocabulary key ${JSON.stringify(ch.slice(0, 20))} is empty or holds whitespace: a word-level corpus's words have none`, 'vocab');
    if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= V) throw new BadRequestError(`vocabulary index of ${JSON.stringify(ch)} must be an integer from 0 to ${V - 1} (the model reads ${V} tokens), got ${JSON.stringify(idx)}`, 'vocab');
    if (chars[idx] !== undefined) throw new BadRequestError(`vocabulary index ${idx} is given to both ${JSON.stringify(chars[idx])} and ${JSON.stringify(ch)}`, 'vocab');
    chars[idx] = ch;
  }
  const filled = Array.from(chars, (c, k) => c ?? placeholderToken(k));
  if (new Set(filled).size !== V) throw new BadRequestError('the vocabulary maps a private-use placeholder character that Cellscope needs for unused indices', 'vocab');
  if (chars.every((c) => c === undefined)) throw new BadRequestError('the vocabulary is empty', 'vocab');
  return vocabFromChars(filled);
}

/** A vocabulary as the JSON map parseVocabMap reads (for exports and the run page). */
export function vocabToMap(vocab: Vocab): Record<string, number> {
  return Object.fromEntries(vocab.chars.map((c, k) => [c, k]));
}
