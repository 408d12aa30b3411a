'use client';
import * as d3 from 'd3';

export interface FlowSeries {
  label: string;
  mean: number[];
  lo: number[];
  hi: number[];
}

const W = 620;
const H = 320;
const M = { top: 12, right: 170, bottom: 36, left: 58 };

/**
 * The vanishing gradient, seen: ‖∂q_t/∂q_{t−d}‖ against the distance d on a log scale, one line
 * (geometric mean over positions) and band (10th to 90th percentile) per run, layer and
 * quantity. A line that falls by decades within a few steps is a gradient that never reaches back.
 */
export function FlowChart({ series }: { series: FlowSeries[] }) {
  const D = Math.max(1, ...series.map((s) => s.mean.length));
  const positive = series.flatMap((s) => [...s.lo, ...s.hi, ...s.mean]).filter((v) => v > 0 && Number.isFinite(v));
  const low = Math.max(1e-30, Math.min(...positive, 1) / 2);
  const high = Math.max(...positive, 1) * 2;
  const x = d3.scaleLinear().domain([1, D]).range([M.left, W - M.right]);
  const y = d3.scaleLog().domain([low, high]).range([H - M.bottom, M.top]).clamp(true);
  const color = d3.scaleOrdinal<string, string>().domain(series.map((s) => s.label)).range(d3.schemeTableau10);
  const line = (vals: number[]): string => d3.line<number>().x((_, i) => x(i + 1)).y((v) => y(Math.max(v, low)))(vals) ?? '';
  const band = (s: FlowSeries): string => d3.area<number>().x((_, i) => x(i + 1)).y0((_, i) => y(Math.max(s.lo[i] ?? low, low))).y1((_, i) => y(Math.max(s.hi[i] ?? low, low)))(s.mean) ?? '';
  const decades = y.ticks(8).filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} data-testid="flow-chart" role="img" aria-label="gradient norm against distance">
      {decades.map((t) => (
        <g key={t}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <text x={M.left - 5} y={y(t)} dy="0.32em" textAnchor="end" fontSize={10} fill="#626873">{`1e${Math.round(Math.log10(t))}`}</text>
        </g>
      ))}
      {x.ticks(8).map((t) => <text key={t} x={x(t)} y={H - M.bottom + 14} textAnchor="middle" fontSize={10} fill="#626873">{t}</text>)}
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="#626873">distance d = t − k (steps back)</text>
      <text transform={`translate(12 ${(H - M.bottom + M.top) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11} fill="#626873">‖∂q_t/∂q_k‖ (Frobenius)</text>
      {series.map((s) => (
        <g key={s.label} data-testid="flow-series">
          <path d={band(s)} fill={color(s.label)} fillOpacity={0.12} />
          <path d={line(s.mean)} fill="none" stroke={color(s.label)} strokeWidth={2} />
        </g>
      ))}
      <g transform={`translate(${W - M.right + 12} ${M.top + 4})`} fontSize={10}>
        {series.map((s, i) => (
          <g key={s.label} transform={`translate(0 ${i * 14})`}>
            <line x1={0} x2={14} y1={5} y2={5} stroke={color(s.label)} strokeWidth={2} />
            <text x={18} y={8}>{s.label}</text>
          </g>
        ))}
      </g>
    </svg>
  );
}
