'use client';
import * as d3 from 'd3';

const W = 460;
const H = 280;
const M = { top: 12, right: 14, bottom: 36, left: 52 };

export interface CausalPoint {
  index: number;
  deltaLogp: number;
  auc?: number | undefined;
}

/**
 * Correlation beside cause: each cell's AUC for the target positions (x; 0.5 is no signal,
 * either side is a cell that tracks them) against what the model loses when the cell alone is
 * zeroed (y, mean Δ ln p(target); below 0 the model needs it). A cell far to a side and near 0
 * correlates and does not matter; one low in the middle matters and does not correlate.
 */
export function CausalScatter({ cells, onOpen }: { cells: CausalPoint[]; onOpen: (index: number) => void }) {
  const withAuc = cells.filter((c) => c.auc !== undefined);
  const low = Math.min(-0.01, ...cells.map((c) => c.deltaLogp));
  const high = Math.max(0.01, ...cells.map((c) => c.deltaLogp));
  const x = d3.scaleLinear().domain([0, 1]).range([M.left, W - M.right]);
  const y = d3.scaleLinear().domain([low, high]).nice().range([H - M.bottom, M.top]);
  const most = cells.reduce((a, c) => (c.deltaLogp < a ? c.deltaLogp : a), 0);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} data-testid="causal-scatter" role="img" aria-label="AUC against the effect of ablating each cell">
      {y.ticks(5).map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke={t === 0 ? '#9aa0a8' : '#eef0f3'} />
          <text x={M.left - 5} y={y(t)} dy="0.32em" textAnchor="end" fontSize={10} fill="#626873">{t.toFixed(2)}</text>
        </g>
      ))}
      {x.ticks(5).map((t) => <text key={`x${t}`} x={x(t)} y={H - M.bottom + 14} textAnchor="middle" fontSize={10} fill="#626873">{t.toFixed(1)}</text>)}
      <line x1={x(0.5)} x2={x(0.5)} y1={M.top} y2={H - M.bottom} stroke="#9aa0a8" strokeDasharray="3 3" />
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="#626873">AUC of the cell for the target positions (correlation)</text>
      <text transform={`translate(12 ${(H - M.bottom + M.top) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11} fill="#626873">Δ ln p(target) when zeroed (cause)</text>
      {withAuc.map((c) => (
        <circle
          key={c.index}
          cx={x(c.auc as number)}
          cy={y(c.deltaLogp)}
          r={4}
          fill={c.deltaLogp <= most / 2 ? '#c0392b' : '#3b6ea5'}
          fillOpacity={0.75}
          style={{ cursor: 'pointer' }}
          onClick={() => onOpen(c.index)}
          data-testid="causal-dot"
        >
          <title>{`cell ${c.index}: AUC ${(c.auc as number).toFixed(3)}, Δ ln p ${c.deltaLogp.toFixed(4)}`}</title>
        </circle>
      ))}
    </svg>
  );
}
