'use client';
import * as d3 from 'd3';

const W = 520;
const H = 120;
const M = { top: 8, right: 8, bottom: 22, left: 36 };

/**
 * How long the runs are in which every selected cell is on together, over the whole recording
 * (bin n: runs of n steps; the last bin: that many or more), with the selection's length marked.
 */
export function LengthHistogram({ lengths, selectionLength }: { lengths: number[]; selectionLength: number }) {
  const bins = lengths.map((count, n) => ({ n, count })).slice(1);
  const last = lengths.length - 1;
  const x = d3.scaleBand<number>().domain(bins.map((b) => b.n)).range([M.left, W - M.right]).padding(0.1);
  const y = d3.scaleLinear().domain([0, Math.max(1, ...bins.map((b) => b.count))]).nice().range([H - M.bottom, M.top]);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} data-testid="length-histogram" role="img" aria-label="match length histogram">
      {y.ticks(3).map((t) => (
        <g key={t}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <text x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end" fontSize={9} fill="#626873">{t}</text>
        </g>
      ))}
      {bins.map((b) => (
        <rect key={b.n} x={x(b.n)} y={y(b.count)} width={x.bandwidth()} height={H - M.bottom - y(b.count)} fill={b.n === Math.min(selectionLength, last) ? '#e8590c' : '#1c7ed6'}>
          <title>{`${b.n === last ? `${last}+` : b.n} steps: ${b.count} runs`}</title>
        </rect>
      ))}
      {[1, 10, 20, 30, 40, 50, 60].filter((n) => n < last).map((n) => (
        <text key={n} x={(x(n) ?? 0) + x.bandwidth() / 2} y={H - 8} textAnchor="middle" fontSize={9} fill="#626873">{n}</text>
      ))}
      <text x={(x(last) ?? 0) + x.bandwidth() / 2} y={H - 8} textAnchor="middle" fontSize={9} fill="#626873">{last}+</text>
    </svg>
  );
}
