'use client';
import * as d3 from 'd3';
import type { SaliencyDecay } from '@/lib/saliency/saliency.ts';

const W = 720;
const H = 220;
const M = { top: 12, right: 12, bottom: 34, left: 56 };

/**
 * How far back the model looks: mean saliency against distance, averaged over many positions,
 * on a log scale (gradients fall off roughly exponentially, so a straight line is a constant
 * decay rate and its slope how fast).
 */
export function SaliencyDecayChart({ decay }: { decay: SaliencyDecay }) {
  const series = [
    { name: '‖grad‖', color: '#e8590c', values: decay.meanGrad },
    { name: '|grad × input|', color: '#1c7ed6', values: decay.meanAbsGradXInput },
  ];
  const positive = series.flatMap((s) => s.values).filter((v) => v > 0);
  const lo = Math.max(d3.min(positive) ?? 1e-6, 1e-12);
  const hi = d3.max(positive) ?? 1;
  const x = d3.scaleLinear().domain([0, decay.window - 1]).range([M.left, W - M.right]);
  const y = d3.scaleLog().domain([lo, hi]).nice().range([H - M.bottom, M.top]).clamp(true);
  const line = d3.line<number>().defined((v) => v > 0).x((_, d) => x(d)).y((v) => y(v));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} role="img" aria-label="saliency decay with distance" data-testid="saliency-decay">
      {y.ticks(5).filter((t) => Number.isInteger(Math.log10(t))).map((t) => (
        <g key={t}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <text x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end" fontSize={10} fill="#626873">{d3.format('.0e')(t)}</text>
        </g>
      ))}
      {x.ticks(8).map((t) => (
        <text key={t} x={x(t)} y={H - M.bottom + 14} textAnchor="middle" fontSize={10} fill="#626873">{t}</text>
      ))}
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="#626873">distance from the prediction (characters back)</text>
      {series.map((s) => <path key={s.name} d={line(s.values) ?? ''} fill="none" stroke={s.color} strokeWidth={1.8} />)}
      {series.map((s, k) => (
        <g key={s.name} transform={`translate(${W - M.right - 150}, ${M.top + 6 + 16 * k})`}>
          <line x1={0} x2={18} y1={0} y2={0} stroke={s.color} strokeWidth={2} />
          <text x={24} y={0} dy="0.32em" fontSize={11} fill="#333">{s.name}</text>
        </g>
      ))}
    </svg>
  );
}
