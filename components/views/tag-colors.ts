import { schemeTableau10 } from 'd3';

/** One colour per part-of-speech tag, stable across views ('' / none: no colour). */
const ORDER = ['NOUN', 'VERB', 'PRON', 'ADJ', 'ADV', 'ADP', 'DET', 'PUNCT', 'CCONJ', 'AUX', 'PROPN', 'PART', 'NUM', 'SCONJ', 'INTJ', 'SYM', 'X', 'SPACE'];

export function tagColor(tag: string): string {
  const i = ORDER.indexOf(tag);
  if (i < 0) return 'transparent';
  return schemeTableau10[i % 10] ?? '#999';
}
