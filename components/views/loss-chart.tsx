'use client';
import * as d3 from 'd3';
import type { MetricPoint } from '@/lib/train/trainer.ts';
import { wrangleLoss } from './loss-chart.wrangle';

const W = 620;
const H = 240;
const M = { top: 12, right: 16, bottom: 34, left: 48 };

/** Training (per step window) and validation loss in bits per character against the step. */
export function LossChart({ metrics, totalSteps }: { metrics: MetricPoint[]; totalSteps: number }) {
  const data = wrangleLoss(metrics, totalSteps);
  const x = d3.scaleLinear().domain([0, data.xMax]).range([M.left, W - M.right]);
  const y = d3.scaleLinear().domain([data.yMin, data.yMax]).nice().range([H - M.bottom, M.top]);
  const line = d3.line<[number, number]>().x((p) => x(p[0])).y((p) => y(p[1]));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} data-testid="loss-chart" role="img" aria-label="loss curves">
      {y.ticks(5).map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eceef2" />
          <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize={11} fill="#626873">{t.toFixed(1)}</text>
        </g>
      ))}
      {x.ticks(6).map((t) => (
        <text key={`x${t}`} x={x(t)} y={H - M.bottom + 16} textAnchor="middle" fontSize={11} fill="#626873">{t}</text>
      ))}
      <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="#9aa0aa" />
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="#626873">step</text>
      <text transform={`translate(12 ${(H - M.bottom + M.top) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11} fill="#626873">bits per character</text>
      <path d={line(data.train) ?? ''} fill="none" stroke="#2257c5" strokeWidth={1.6} />
      <path d={line(data.val) ?? ''} fill="none" stroke="#d9480f" strokeWidth={2} />
      {data.val.map((p) => <circle key={p[0]} cx={x(p[0])} cy={y(p[1])} r={3} fill="#d9480f" />)}
      <g transform={`translate(${W - M.right - 150} ${M.top + 4})`} fontSize={11}>
        <rect width={10} height={3} y={4} fill="#2257c5" /><text x={14} y={9}>training</text>
        <rect x={74} width={10} height={3} y={4} fill="#d9480f" /><text x={88} y={9}>validation</text>
      </g>
    </svg>
  );
}
