import { mulberry32 } from '../../train/sample.ts';

/**
 * The adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015) made discrete so that it is
 * a character corpus: a line is `length` digits, two of them marked (written as the letters
 * A-J for 0-9 instead of the digit), then '=' and the two-digit sum of the marked digits and a
 * newline. The sum can only be predicted by remembering both marked digits, one of which falls
 * in the first half of the line, as in the original task.
 *   e.g. length 8: "31C4590E=06\n"  (C = 2, E = 4: 2 + 4 = 06)
 */
export interface AddingTaskOptions {
  length: number;
  examples: number;
  seed?: number;
}

const MARKED = 'ABCDEFGHIJ';

export function addingTaskText(opts: AddingTaskOptions): string {
  if (!(Number.isInteger(opts.length) && opts.length >= 2)) throw new Error('length must be a whole number >= 2');
  const rand = mulberry32(opts.seed ?? 1);
  const half = Math.floor(opts.length / 2);
  const lines: string[] = [];
  for (let e = 0; e < opts.examples; e++) {
    const digits = Array.from({ length: opts.length }, () => Math.floor(rand() * 10));
    const a = Math.floor(rand() * half);
    const b = half + Math.floor(rand() * (opts.length - half));
    const sum = (digits[a] ?? 0) + (digits[b] ?? 0);
    const body = digits.map((d, k) => (k === a || k === b ? MARKED[d] : String(d))).join('');
    lines.push(`${body}=${String(sum).padStart(2, '0')}\n`);
  }
  return lines.join('');
}

/** Positions whose next character is a digit of the sum: the '=' and the first sum digit. */
export function addingTaskTargets(text: string): number[] {
  const targets: number[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq >= 0) targets.push(lineStart + eq, lineStart + eq + 1);
    lineStart += line.length + 1;
  }
  return targets;
}
