/**
 * Classes of the next token, for reporting an intervention's effect by what the model had to
 * predict (issue 13: "change in bits per character ... per next-character class"). A word
 * token is classed by its first character.
 */
export const TOKEN_CLASSES = ['newline', 'space', 'quote', 'punctuation', 'digit', 'uppercase', 'lowercase', 'other'] as const;
export type TokenClass = (typeof TOKEN_CLASSES)[number];

export function tokenClass(token: string): TokenClass {
  const ch = [...token][0] ?? '';
  if (ch === '\n' || ch === '\r') return 'newline';
  if (/^\s$/u.test(ch)) return 'space';
  if (/^["'“”‘’«»„`]$/u.test(ch)) return 'quote';
  if (/^[\p{P}\p{S}]$/u.test(ch)) return 'punctuation';
  if (/^\p{N}$/u.test(ch)) return 'digit';
  if (/^\p{Lu}$/u.test(ch)) return 'uppercase';
  if (/^\p{L}$/u.test(ch)) return 'lowercase';
  return 'other';
}
