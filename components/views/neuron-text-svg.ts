import { activationColor, featureColor, gateColor, inkOn } from './activation-color.ts';
import { displayChar, positionWidth, wrangleLines } from './neuron-text.wrangle.ts';

/**
 * The neuron-firing view as a standalone SVG figure (Karpathy-style): each line of text with its
 * characters (or words) on the cell's colour, and under it the strips shown on screen (feature,
 * gate traces, extra cells). Pure, so it is built the same in the browser and in tests.
 */
export interface NeuronFigure {
  title: string;
  chars: string[];
  primary: number[];
  strips: { kind: 'cell' | 'feature' | 'gate'; label: string; values: number[] }[];
  words?: boolean;
}

const CW = 9;
const ROW = 16;
const STRIP = 5;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function neuronFigureSvg(f: NeuronFigure): { markup: string; width: number; height: number } {
  const words = f.words === true;
  const lines = wrangleLines(f.chars, 100, words);
  const width = (k: number): number => (words ? (positionWidth(f.chars[k] ?? '', true) ?? CW) * (CW / 11) : CW);
  const stripColor = (kind: string, v: number | undefined): string => (kind === 'feature' ? featureColor(v) : kind === 'gate' ? gateColor(v) : activationColor(v));
  const lineH = ROW + f.strips.length * (STRIP + 1) + 6;
  let maxW = 0;
  const parts: string[] = [];
  lines.forEach((line, li) => {
    const y0 = 24 + li * lineH;
    let x = 4;
    for (const k of line.indices) {
      const w = width(k);
      const v = f.primary[k];
      const ch = f.chars[k] ?? '';
      parts.push(`<rect x="${x.toFixed(1)}" y="${y0}" width="${w.toFixed(1)}" height="${ROW}" fill="${activationColor(v)}"/>`);
      const shown = displayChar(ch).replace('\u00a0', ' ');
      if (shown.trim() !== '') parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${y0 + 12}" text-anchor="middle" font-size="12" fill="${ch === '\n' ? '#999' : inkOn(v)}">${esc(shown)}</text>`);
      f.strips.forEach((s, si) => {
        parts.push(`<rect x="${x.toFixed(1)}" y="${y0 + ROW + 1 + si * (STRIP + 1)}" width="${w.toFixed(1)}" height="${STRIP}" fill="${stripColor(s.kind, s.values[k])}"/>`);
      });
      x += w;
    }
    maxW = Math.max(maxW, x + 4);
  });
  const height = 24 + lines.length * lineH + 4;
  const widthPx = Math.max(200, Math.ceil(maxW));
  const legend = f.strips.length ? ` · under each line: ${f.strips.map((s) => s.label).join(', ')}` : '';
  const markup = `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${height}" viewBox="0 0 ${widthPx} ${height}" font-family="ui-monospace, monospace"><rect width="100%" height="100%" fill="#fff"/><text x="4" y="14" font-size="11" font-family="system-ui, sans-serif" fill="#333">${esc(f.title + legend)}</text>${parts.join('')}</svg>`;
  return { markup, width: widthPx, height };
}
