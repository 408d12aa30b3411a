import { mulberry32 } from '../../train/sample.ts';

/**
 * The copying memory problem (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016) as a
 * character corpus: each line is `symbols` random letters from `alphabet`, `gap` blanks, the
 * marker ':' and the same letters again, then a newline. A character model can only predict the
 * repeated letters by remembering them across the gap; the blanks, the marker and the newline
 * are predictable from position alone.
 *   e.g. gap 5:  "dfbhac-----:dfbhac\n" (with 6 symbols)
 */
export interface CopyTaskOptions {
  gap: number;
  examples: number;
  /** Letters to copy per example (the lecture's 10). */
  symbols?: number;
  /** Distinct letters (8 in Arjovsky et al.). */
  alphabetSize?: number;
  seed?: number;
}

export const COPY_BLANK = '-';
export const COPY_MARKER = ':';

export function copyTaskText(opts: CopyTaskOptions): string {
  const symbols = opts.symbols ?? 10;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz'.slice(0, opts.alphabetSize ?? 8);
  if (!(opts.gap >= 0 && Number.isInteger(opts.gap))) throw new Error('gap must be a whole number >= 0');
  if (alphabet.length < 2) throw new Error('alphabet needs at least 2 letters');
  const rand = mulberry32(opts.seed ?? 1);
  const lines: string[] = [];
  for (let e = 0; e < opts.examples; e++) {
    let word = '';
    for (let k = 0; k < symbols; k++) word += alphabet[Math.floor(rand() * alphabet.length)] ?? 'a';
    lines.push(`${word}${COPY_BLANK.repeat(opts.gap)}${COPY_MARKER}${word}\n`);
  }
  return lines.join('');
}

/**
 * The positions whose next character is a recalled letter: for each line, the marker and the
 * recalled letters but the last (position p predicts character p + 1). Offsets in characters.
 */
export function copyTaskTargets(text: string): number[] {
  const targets: number[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const marker = line.indexOf(COPY_MARKER);
    if (marker >= 0) {
      const recalled = line.length - marker - 1;
      for (let k = 0; k < recalled; k++) targets.push(lineStart + marker + k);
    }
    lineStart += line.length + 1;
  }
  return targets;
}
