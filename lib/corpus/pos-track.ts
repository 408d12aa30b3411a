import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { ByteLru, corpusCacheBytes } from '../util/byte-lru.ts';

/**
 * A part-of-speech track for any corpus, computed offline with wink-nlp's English model: every
 * character gets the universal POS tag of the token it belongs to (0 = between tokens). Tiny
 * Shakespeare (1.1 M characters) tags in about half a second; results are cached per corpus.
 */
export const POS_TAGS = ['', 'ADJ', 'ADP', 'ADV', 'AUX', 'CCONJ', 'DET', 'INTJ', 'NOUN', 'NUM', 'PART', 'PRON', 'PROPN', 'PUNCT', 'SCONJ', 'SYM', 'VERB', 'X', 'SPACE'] as const;

let nlp: ReturnType<typeof winkNLP> | undefined;

/** tags[p]: index into POS_TAGS for the character (code point) at p. */
export function posTrack(text: string): Uint8Array {
  nlp ??= winkNLP(model);
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const pos = doc.tokens().out(its.pos) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  // Code unit -> code point index (corpus positions count code points).
  const cp = new Int32Array(text.length + 1);
  let p = 0;
  for (let u = 0; u < text.length; u++) {
    cp[u] = p;
    const c = text.charCodeAt(u);
    if (!(c >= 0xd800 && c <= 0xdbff && u + 1 < text.length)) p++;
  }
  cp[text.length] = p;
  const tags = new Uint8Array(p);
  let at = 0;
  values.forEach((v, i) => {
    // Tokens are substrings of the text in order; find each from where the last one ended.
    const from = at + (spaces[i]?.length ?? 0);
    const found = text.startsWith(v, from) ? from : text.indexOf(v, at);
    if (found < 0 || v.length === 0) return;
    const tag = Math.max(0, POS_TAGS.indexOf((pos[i] ?? '') as (typeof POS_TAGS)[number]));
    tags.fill(tag, cp[found], cp[found + v.length]);
    at = found + v.length;
  });
  return tags;
}

// Bounded: a server that has seen many corpora keeps only the recently used tracks.
const cache = new ByteLru<number, Uint8Array>({ maxBytes: corpusCacheBytes(), sizeOf: (t) => t.byteLength });

/** The track of a stored corpus, computed once while it stays in the cache. */
export function corpusPosTrack(corpusId: number, text: () => string): Uint8Array {
  return cache.getOrSet(corpusId, () => posTrack(text()));
}
