'use client';
import * as d3 from 'd3';
import type { RankedCell } from '@/lib/search/cell-finder.ts';

const W = 420;
const H = 260;
const M = { top: 10, right: 12, bottom: 34, left: 44 };

/**
 * Every ranked cell as a dot: precision against recall at its best threshold (on/off features),
 * or correlation against cell index (numeric ones); colour by layer and quantity. Click a dot to
 * open that cell in the neuron view.
 */
export function CellScatter({ cells, measure, onOpen }: { cells: RankedCell[]; measure: 'auc' | 'correlation'; onOpen: (c: RankedCell) => void }) {
  const binary = measure === 'auc';
  const maxIndex = Math.max(1, ...cells.map((c) => c.index));
  const x = d3.scaleLinear().domain(binary ? [0, 1] : [0, maxIndex]).range([M.left, W - M.right]);
  const y = d3.scaleLinear().domain(binary ? [0, 1] : [-1, 1]).range([H - M.bottom, M.top]);
  const keys = [...new Set(cells.map((c) => `${c.layer} ${c.quantity}`))];
  const color = d3.scaleOrdinal<string, string>().domain(keys).range(d3.schemeTableau10);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} data-testid="cell-scatter" role="img" aria-label="cell scatter">
      {y.ticks(5).map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <text x={M.left - 5} y={y(t)} dy="0.32em" textAnchor="end" fontSize={10} fill="#626873">{t.toFixed(1)}</text>
        </g>
      ))}
      {x.ticks(5).map((t) => <text key={`x${t}`} x={x(t)} y={H - M.bottom + 14} textAnchor="middle" fontSize={10} fill="#626873">{binary ? t.toFixed(1) : t}</text>)}
      <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle" fontSize={11} fill="#626873">{binary ? 'recall' : 'cell'}</text>
      <text transform={`translate(12 ${(H - M.bottom + M.top) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11} fill="#626873">{binary ? 'precision' : 'correlation'}</text>
      {cells.map((c) => (
        <circle
          key={`${c.layer}-${c.quantity}-${c.index}`}
          cx={x(binary ? (c.recall ?? 0) : c.index)}
          cy={y(binary ? (c.precision ?? 0) : c.score)}
          r={4}
          fill={color(`${c.layer} ${c.quantity}`)}
          fillOpacity={0.8}
          style={{ cursor: 'pointer' }}
          onClick={() => onOpen(c)}
        >
          <title>{`layer ${c.layer} ${c.quantity} cell ${c.index}: ${measure} ${c.score.toFixed(3)}`}</title>
        </circle>
      ))}
      <g transform={`translate(${W - M.right - 70} ${M.top + 4})`} fontSize={10}>
        {keys.map((k, i) => (
          <g key={k} transform={`translate(0 ${i * 13})`}>
            <circle cx={4} cy={4} r={3.5} fill={color(k)} />
            <text x={11} y={7}>{`layer ${k}`}</text>
          </g>
        ))}
      </g>
    </svg>
  );
}
