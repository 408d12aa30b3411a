/**
 * Lays out a window of characters (or words) as display lines for the neuron-firing view: a line
 * ends after a newline character or at `maxWidth` columns (a word counts its length and a space).
 * Each entry is an index into the window.
 */
export interface TextLine {
  /** Indices into the window's arrays, in order. */
  indices: number[];
}

export function wrangleLines(chars: readonly string[], maxWidth = 100, words = false): TextLine[] {
  const lines: TextLine[] = [];
  let current: number[] = [];
  let width = 0;
  chars.forEach((ch, k) => {
    current.push(k);
    // A word takes its length and a space; a character one column.
    width += words ? [...ch].length + 1 : 1;
    if (ch === '\n' || width >= maxWidth) {
      lines.push({ indices: current });
      current = [];
      width = 0;
    }
  });
  if (current.length) lines.push({ indices: current });
  return lines;
}

/** How a character is drawn: newline as ↵, tab as →, other control characters as ·. */
export function displayChar(ch: string): string {
  if (ch === '\n') return '↵';
  if (ch === '\t') return '→';
  if (ch === ' ') return '\u00a0';
  const code = ch.codePointAt(0) ?? 0;
  return code < 32 || code === 127 ? '·' : ch;
}

/** Display width of one position: a character's fixed column, or a word's own width. */
export function positionWidth(token: string, words: boolean): number | undefined {
  return words ? Math.max(2, [...token].length) * 8.6 + 8 : undefined;
}
