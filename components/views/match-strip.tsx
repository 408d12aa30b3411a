'use client';
import type { MatchStrip as StripData } from '@/lib/search/strips.ts';
import { activationColor } from './activation-color';
import { tagColor } from './tag-colors';

const CW = 10;
const ROW = 6;
/** Heat rows drawn at most: more selected cells would make every result a tall block. */
export const STRIP_MAX_ROWS = 12;

/**
 * One match aligned at its start (LSTMVis's result view): its characters, a heat strip per
 * selected cell (red on, blue off), the part-of-speech track (a colour per tag), and the model's
 * top-1 prediction after each character, green where the next character was that one, red where
 * not.
 */
export function MatchStripView({ strip, truncated }: { strip: StripData; truncated: boolean }) {
  const rows = strip.values.slice(0, STRIP_MAX_ROWS);
  const n = strip.chars.length;
  // A character takes one column; a word (word-level corpora) as many as its letters need.
  const widths = strip.chars.map((ch) => ([...ch].length > 1 ? Math.max(CW, [...ch].length * 6.7 + 6) : CW));
  const xs = widths.reduce<number[]>((acc, w, t) => [...acc, (acc[t] ?? 0) + w], [0]);
  const at = (t: number): number => xs[t] ?? 0;
  const wd = (t: number): number => widths[t] ?? CW;
  const W = (xs[n] ?? 0) + (truncated ? 14 : 0);
  const tagY = 14 + rows.length * ROW + 1;
  const H = tagY + 5 + 14;
  const show = (ch: string): string => (ch === ' ' ? '·' : ch === '\n' ? '⏎' : ch);
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} data-testid="match-strip" role="img" aria-label="match strip">
      {strip.chars.map((ch, t) => (
        <text key={`c${t}`} x={at(t) + wd(t) / 2} y={11} textAnchor="middle" fontSize={11} fontFamily="ui-monospace, monospace" fill="#1d2127">{show(ch)}</text>
      ))}
      {rows.map((row, k) => row.map((v, t) => <rect key={`${k}-${t}`} x={at(t)} y={14 + k * ROW} width={wd(t) - 1} height={ROW - 1} fill={activationColor(v)} />))}
      {strip.tags.map((tag, t) => (
        <rect key={`g${t}`} x={at(t)} y={tagY} width={wd(t) - 1} height={4} fill={tagColor(tag)}><title>{tag || 'between tokens'}</title></rect>
      ))}
      {strip.top1.map((ch, t) => (
        <text key={`p${t}`} x={at(t) + wd(t) / 2} y={H - 3} textAnchor="middle" fontSize={10} fontFamily="ui-monospace, monospace" fill={strip.correct[t] ? '#2b8a3e' : '#c92a2a'}>{show(ch)}</text>
      ))}
      {truncated && <text x={(xs[n] ?? 0) + 3} y={11} fontSize={11} fill="#868e96">…</text>}
    </svg>
  );
}
