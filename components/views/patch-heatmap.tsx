'use client';
import * as d3 from 'd3';

export interface PatchRow {
  layer: number;
  quantity: string;
  restored: (number | null)[];
  p: number[];
}

const CELL = 18;
const LEFT = 70;
const TOP = 34;

/**
 * State patching as a heatmap: one row per layer and state quantity, one column per step of the
 * text (the clean character above, the corrupted one in orange where they differ); a square's
 * shade is the fraction of p(target) that copying that state from the clean run restores (white
 * 0, purple 1, orange below 0).
 */
export function PatchHeatmap({ clean, corrupt, rows, target }: { clean: string[]; corrupt: string[]; rows: PatchRow[]; target: string }) {
  const T = clean.length;
  const W = LEFT + T * CELL + 60;
  const H = TOP + rows.length * CELL + 40;
  const shade = (v: number | null): string => (v === null ? '#f4f5f7' : v >= 0 ? d3.interpolatePurples(Math.min(1, v) * 0.9 + 0.02) : d3.interpolateOranges(Math.min(1, -v) * 0.8 + 0.1));
  const show = (ch: string | undefined): string => (ch === '\n' ? '⏎' : ch === ' ' ? '␣' : (ch ?? ''));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} data-testid="patch-heatmap" role="img" aria-label="fraction of p(target) restored by patching each step of each layer">
      {clean.map((ch, t) => (
        <g key={`c${t}`}>
          <text x={LEFT + t * CELL + CELL / 2} y={TOP - 18} textAnchor="middle" fontSize={11} fontFamily="monospace">{show(ch)}</text>
          {corrupt[t] !== ch && <text x={LEFT + t * CELL + CELL / 2} y={TOP - 5} textAnchor="middle" fontSize={11} fontFamily="monospace" fill="#bf5b17">{show(corrupt[t])}</text>}
        </g>
      ))}
      <text x={LEFT + T * CELL + 6} y={TOP - 18} fontSize={11} fill="#626873">→ {show(target)}?</text>
      {rows.map((r, i) => (
        <g key={`${r.layer}${r.quantity}`}>
          <text x={LEFT - 6} y={TOP + i * CELL + CELL / 2} dy="0.32em" textAnchor="end" fontSize={11} fill="#3b3f45">layer {r.layer} {r.quantity}</text>
          {r.restored.map((v, t) => (
            <rect key={t} x={LEFT + t * CELL} y={TOP + i * CELL} width={CELL - 1} height={CELL - 1} fill={shade(v)} data-testid="patch-cell">
              <title>{`layer ${r.layer} ${r.quantity}, step ${t} (${JSON.stringify(clean[t])}${corrupt[t] !== clean[t] ? ` vs ${JSON.stringify(corrupt[t])}` : ''}): p(target) ${(r.p[t] ?? 0).toFixed(4)}, restored ${v === null ? '–' : `${(100 * v).toFixed(1)}%`}`}</title>
            </rect>
          ))}
        </g>
      ))}
      <g transform={`translate(${LEFT} ${TOP + rows.length * CELL + 14})`} fontSize={10} fill="#626873">
        {[0, 0.25, 0.5, 0.75, 1].map((v, k) => (
          <g key={v} transform={`translate(${k * 46} 0)`}>
            <rect width={14} height={10} fill={shade(v)} stroke="#d5d8dd" />
            <text x={18} y={9}>{`${Math.round(100 * v)}%`}</text>
          </g>
        ))}
        <g transform="translate(240 0)"><rect width={14} height={10} fill={shade(-0.5)} /><text x={18} y={9}>below 0: the patch makes it worse</text></g>
        <g transform="translate(440 0)"><rect width={14} height={10} fill={shade(null)} stroke="#d5d8dd" /><text x={18} y={9}>grey: both texts give the same p(target)</text></g>
      </g>
    </svg>
  );
}
