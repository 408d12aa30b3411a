export const DEFAULT_VALIDATION_FRACTION = 0.05;

/**
 * Where the held-out validation split starts: the last `fraction` of the corpus (default 5%),
 * at least 1 character on each side.
 */
export function trainEndFor(chars: number, fraction = DEFAULT_VALIDATION_FRACTION): number {
  if (!(fraction > 0 && fraction < 1)) throw new Error(`validation fraction must be in (0, 1), got ${fraction}`);
  if (chars < 2) throw new Error('a corpus needs at least 2 characters to hold out a validation split');
  const end = Math.floor(chars * (1 - fraction));
  return Math.min(chars - 1, Math.max(1, end));
}
