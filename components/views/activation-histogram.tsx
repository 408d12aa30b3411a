import * as d3 from 'd3';
import type { CellStat } from '@/lib/neurons/cell-stats.ts';

const W = 460;
const H = 150;
const M = { top: 8, right: 8, bottom: 28, left: 48 };

/** A cell's activation histogram over the whole recording (counts on a square-root scale, so rare values show). */
export function ActivationHistogram({ hist, low, high }: { hist: CellStat['hist']; low: number; high: number }) {
  const n = hist.counts.length;
  const x = d3.scaleLinear().domain([hist.lo, hist.lo + n * hist.width]).range([M.left, W - M.right]);
  const y = d3.scaleSqrt().domain([0, Math.max(1, ...hist.counts)]).range([H - M.bottom, M.top]);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} role="img" aria-label="activation histogram" data-testid="neuron-histogram">
      {y.ticks(3).map((t) => (
        <g key={t}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <text x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end" fontSize={9} fill="#626873">{d3.format('~s')(t)}</text>
        </g>
      ))}
      {hist.counts.map((c, b) => {
        const v = hist.lo + (b + 0.5) * hist.width;
        return (
          <rect key={b} x={x(hist.lo + b * hist.width) + 0.5} width={Math.max(1, x(hist.lo + hist.width) - x(hist.lo) - 1)} y={y(c)} height={H - M.bottom - y(c)} fill={v < 0 ? '#4a7fc1' : '#c9453b'}>
            <title>{`${(hist.lo + b * hist.width).toFixed(2)} to ${(hist.lo + (b + 1) * hist.width).toFixed(2)}: ${c} steps`}</title>
          </rect>
        );
      })}
      {x.ticks(6).map((t) => <text key={t} x={x(t)} y={H - M.bottom + 12} textAnchor="middle" fontSize={9} fill="#626873">{t}</text>)}
      <text x={(M.left + W - M.right) / 2} y={H - 2} textAnchor="middle" fontSize={10} fill="#626873">
        activation · low {(100 * low).toFixed(1)}% · high {(100 * high).toFixed(1)}% of steps
      </text>
    </svg>
  );
}
