/**
 * A character vocabulary: the distinct code points of a text, sorted by code point, so the same
 * text always gives the same ids. A token id is the index in `chars`.
 */
export interface Vocab {
  chars: string[];
  index: Map<string, number>;
}

export function buildVocab(text: string): Vocab {
  const seen = new Set<string>();
  for (const ch of text) seen.add(ch);
  const chars = [...seen].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
  return vocabFromChars(chars);
}

export function vocabFromChars(chars: readonly string[]): Vocab {
  const index = new Map<string, number>();
  chars.forEach((ch, i) => {
    if (index.has(ch)) throw new Error(`duplicate character ${JSON.stringify(ch)} in vocabulary`);
    index.set(ch, i);
  });
  return { chars: [...chars], index };
}

/**
 * Encodes `text` (by code point) into token ids. Characters missing from the vocabulary throw,
 * naming the first one: recording a corpus with a foreign model must not silently drop text.
 */
export function encode(text: string, vocab: Vocab): Int32Array {
  const out = new Int32Array(countChars(text));
  let n = 0;
  for (const ch of text) {
    const id = vocab.index.get(ch);
    if (id === undefined) {
      throw new Error(`character ${JSON.stringify(ch)} at offset ${n} is not in the model's vocabulary`);
    }
    out[n++] = id;
  }
  return out;
}

export function decode(ids: ArrayLike<number>, vocab: Vocab): string {
  let s = '';
  for (let k = 0; k < ids.length; k++) s += vocab.chars[ids[k] ?? 0] ?? '\uFFFD';
  return s;
}

/** Length in code points (what Cellscope calls characters). */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * A stand-in token for a vocabulary index no token maps to (a Keras Tokenizer's reserved 0, gaps
 * in an LSTMVis dict): a code point of the supplementary private-use planes (U+F0000 onwards),
 * which no text holds and which stays unique for every index up to 131,067.
 */
export function placeholderToken(index: number): string {
  const PLANE = 65534;
  if (!Number.isInteger(index) || index < 0 || index >= 2 * PLANE) throw new Error(`no placeholder for vocabulary index ${index}`);
  return String.fromCodePoint(index < PLANE ? 0xf0000 + index : 0x100000 + (index - PLANE));
}
