'use client';
import * as d3 from 'd3';
import { wrangleMemory, type MemoryCellInput } from './memory-chart.wrangle';

const W = 640;
const H = 280;
const M = { top: 14, right: 120, bottom: 38, left: 52 };

/**
 * The memory lab's result: task accuracy (the characters only memory can predict) against the
 * gap T, one line per architecture, with chance level marked. The x axis is a point scale over
 * the gaps tried, so widely spaced gaps stay readable.
 */
export function MemoryChart({ cells, archs, chance, gapLabel }: { cells: MemoryCellInput[]; archs: string[]; chance: number; gapLabel: string }) {
  const data = wrangleMemory(cells, archs);
  const x = d3.scalePoint<number>().domain(data.gaps).range([M.left + 20, W - M.right - 20]);
  const y = d3.scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const color = d3.scaleOrdinal<string, string>().domain(archs).range(['#2257c5', '#d9480f', '#2b8a3e', '#7048e8', '#c2255c', '#e67700', '#495057']);
  const line = d3.line<[number, number]>().x((p) => x(p[0]) ?? 0).y((p) => y(p[1]));
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} data-testid="memory-chart" role="img" aria-label="accuracy against gap">
      {y.ticks(5).map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eceef2" />
          <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end" fontSize={11} fill="#626873">{`${Math.round(t * 100)}%`}</text>
        </g>
      ))}
      <line x1={M.left} x2={W - M.right} y1={y(chance)} y2={y(chance)} stroke="#9aa0aa" strokeDasharray="4 3" />
      <text x={W - M.right + 4} y={y(chance)} dy="0.32em" fontSize={10} fill="#626873">chance</text>
      {data.gaps.map((g) => (
        <text key={`x${g}`} x={x(g)} y={H - M.bottom + 16} textAnchor="middle" fontSize={11} fill="#626873">{g}</text>
      ))}
      <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="#9aa0aa" />
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="#626873">{gapLabel}</text>
      <text transform={`translate(12 ${(H - M.bottom + M.top) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11} fill="#626873">task accuracy</text>
      {data.series.map((s) => (
        <g key={s.arch} data-testid={`memory-series-${s.arch}`}>
          <path d={line(s.points) ?? ''} fill="none" stroke={color(s.arch)} strokeWidth={2} />
          {s.points.map((p) => <circle key={p[0]} cx={x(p[0])} cy={y(p[1])} r={3.5} fill={color(s.arch)} />)}
        </g>
      ))}
      <g transform={`translate(${W - M.right + 14} ${M.top + 4})`} fontSize={11}>
        {data.series.map((s, i) => (
          <g key={s.arch} transform={`translate(0 ${i * 16})`}>
            <rect width={12} height={3} y={5} fill={color(s.arch)} />
            <text x={16} y={10}>{s.label}</text>
          </g>
        ))}
      </g>
    </svg>
  );
}
