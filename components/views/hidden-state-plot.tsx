'use client';
import * as d3 from 'd3';
import { useRef, useState } from 'react';
import { wranglePlot } from './hidden-state-plot.wrangle';

// Characters get a 12 px column and a label under it; words (word-level corpora) a wider column
// and a slanted label cut to 8 characters (as LSTMVis does), with room below for it.
const layoutFor = (words: boolean) => {
  const CHAR_W = words ? 24 : 12;
  const TEXT_H = words ? 62 : 26;
  return { CHAR_W, TEXT_H, H: 236 + TEXT_H, M: { top: 10, right: 44, bottom: TEXT_H + 8, left: 40 } };
};

export interface HiddenStatePlotProps {
  /** values[cell][t] over the window's characters. */
  values: number[][];
  chars: string[];
  /** Positions are words: slanted labels under wider columns. */
  words?: boolean;
  /** Corpus offset of the window's first character. */
  from: number;
  selected: number[];
  threshold: number;
  levels: readonly number[];
  /** The brushed range [start, end), corpus offsets. */
  range: [number, number] | null;
  onBrush: (start: number, end: number) => void;
  onThreshold: (t: number) => void;
}

/**
 * LSTMVis's hidden-state plot: every cell of a layer as a line across the window's characters,
 * the selected cells in colour over grey, the threshold as a horizontal line with a handle to
 * drag (it snaps to the indexed levels), a brush over the characters to select a range, and
 * the text under the axis shaded by how many selected cells are on at each character.
 */
export function HiddenStatePlot(p: HiddenStatePlotProps) {
  const { CHAR_W, TEXT_H, H, M } = layoutFor(p.words === true);
  const data = wranglePlot({ values: p.values, selected: p.selected, threshold: p.threshold });
  const n = p.chars.length;
  const W = M.left + M.right + Math.max(1, n) * CHAR_W;
  const x = (t: number): number => M.left + (t + 0.5) * CHAR_W;
  const y = d3.scaleLinear().domain([data.yMin, data.yMax]).range([H - M.bottom, M.top]);
  const line = d3.line<[number, number]>().x((q) => x(q[0])).y((q) => y(q[1]));
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ kind: 'brush'; a: number; b: number } | { kind: 'threshold'; value: number } | null>(null);
  const maxCount = Math.max(1, p.selected.length);

  const pointer = (e: React.PointerEvent): { t: number; v: number } => {
    const box = svg.current?.getBoundingClientRect();
    const scale = box ? W / box.width : 1;
    const px = box ? (e.clientX - box.left) * scale : 0;
    const py = box ? (e.clientY - box.top) * scale : 0;
    return { t: Math.max(0, Math.min(n - 1, Math.floor((px - M.left) / CHAR_W))), v: y.invert(py) };
  };
  const snap = (v: number): number => p.levels.reduce((best, l) => (Math.abs(l - v) < Math.abs(best - v) ? l : best), p.levels[0] ?? 0.3);
  const shownThreshold = drag?.kind === 'threshold' ? drag.value : p.threshold;
  const shownRange = drag?.kind === 'brush' ? [Math.min(drag.a, drag.b), Math.max(drag.a, drag.b) + 1] : p.range ? [p.range[0] - p.from, p.range[1] - p.from] : null;

  return (
    <svg
      ref={svg}
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      style={{ maxWidth: W, touchAction: 'none', userSelect: 'none' }}
      data-testid="hidden-state-plot"
      role="img"
      aria-label="hidden state plot"
      onPointerMove={(e) => {
        if (!drag) return;
        if (drag.kind === 'brush') setDrag({ ...drag, b: pointer(e).t });
        else setDrag({ kind: 'threshold', value: snap(pointer(e).v) });
      }}
      onPointerUp={() => {
        if (drag?.kind === 'brush') p.onBrush(p.from + Math.min(drag.a, drag.b), p.from + Math.max(drag.a, drag.b) + 1);
        if (drag?.kind === 'threshold' && drag.value !== p.threshold) p.onThreshold(drag.value);
        setDrag(null);
      }}
      onPointerLeave={() => setDrag(null)}
    >
      {y.ticks(5).map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize={10} fill="#626873">{t.toFixed(1)}</text>
        </g>
      ))}
      {shownRange && (
        <rect x={M.left + (shownRange[0] ?? 0) * CHAR_W} y={M.top} width={((shownRange[1] ?? 0) - (shownRange[0] ?? 0)) * CHAR_W} height={H - M.top - M.bottom + TEXT_H} fill="#fff3bf" data-testid="plot-range" />
      )}
      {data.lines.map((l) => (
        <path key={l.cell} d={line(l.points) ?? ''} fill="none" stroke={l.selected ? '#1c7ed6' : '#c5cad3'} strokeOpacity={l.selected ? 0.95 : 0.45} strokeWidth={l.selected ? 1.8 : 0.8} data-selected={l.selected ? 'true' : undefined} />
      ))}
      {/* The brush surface: press, drag across the characters, release. */}
      <rect
        x={M.left}
        y={M.top}
        width={n * CHAR_W}
        height={H - M.top - M.bottom + TEXT_H}
        fill="transparent"
        style={{ cursor: 'crosshair' }}
        data-testid="plot-brush"
        onPointerDown={(e) => {
          const t = pointer(e).t;
          setDrag({ kind: 'brush', a: t, b: t });
        }}
      />
      <line x1={M.left} x2={W - M.right} y1={y(shownThreshold)} y2={y(shownThreshold)} stroke="#e8590c" strokeWidth={1.5} strokeDasharray="5 3" pointerEvents="none" />
      <g
        transform={`translate(${W - M.right + 4} ${y(shownThreshold)})`}
        style={{ cursor: 'ns-resize' }}
        data-testid="threshold-handle"
        onPointerDown={(e) => {
          e.stopPropagation();
          setDrag({ kind: 'threshold', value: p.threshold });
        }}
      >
        <rect x={0} y={-9} width={38} height={18} rx={4} fill="#e8590c" />
        <text x={19} y={4} textAnchor="middle" fontSize={11} fill="#fff">{shownThreshold.toFixed(1)}</text>
      </g>
      {p.chars.map((ch, t) => {
        const count = data.onCounts[t] ?? 0;
        return (
          <g key={t}>
            <rect x={M.left + t * CHAR_W} y={H - M.bottom + 6} width={CHAR_W} height={TEXT_H - 6} fill={count ? `rgba(28, 126, 214, ${0.15 + 0.6 * (count / maxCount)})` : 'transparent'} />
            {p.words ? (
              <text x={x(t) + 4} y={H - M.bottom + 14} textAnchor="end" fontSize={12} fontFamily="ui-monospace, monospace" fill="#1d2127" transform={`rotate(-55 ${x(t) + 4} ${H - M.bottom + 14})`}>
                <title>{ch}</title>
                {[...ch].length > 8 ? `${[...ch].slice(0, 7).join('')}…` : ch}
              </text>
            ) : (
              <text x={x(t)} y={H - M.bottom + 22} textAnchor="middle" fontSize={13} fontFamily="ui-monospace, monospace" fill="#1d2127">
                {ch === ' ' ? '·' : ch === '\n' ? '⏎' : ch}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
