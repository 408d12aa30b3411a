/**
 * Lays out a window of characters as display lines for the neuron-firing view: a line ends after
 * a newline character or at `maxWidth` characters. Each entry is an index into the window.
 */
export interface TextLine {
  /** Indices into the window's arrays, in order. */
  indices: number[];
}

export function wrangleLines(chars: readonly string[], maxWidth = 100): TextLine[] {
  const lines: TextLine[] = [];
  let current: number[] = [];
  chars.forEach((ch, k) => {
    current.push(k);
    if (ch === '\n' || current.length >= maxWidth) {
      lines.push({ indices: current });
      current = [];
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
