'use client';
import * as d3 from 'd3';

const S = 380;
const M = 34;

export interface PlanePoint {
  pc: [number, number];
  /** A fixed point (q ≈ 0), else a slow one (drawn smaller). */
  fixed: boolean;
  stable: boolean;
  spectralRadius: number;
  q: number;
}

/**
 * The first layer's trajectory over a stretch of text (grey, a dot per character) and its fixed
 * and slow points under one input (large: fixed, small: slow; filled: stable; ringed red:
 * unstable), in the plane of the
 * trajectory's first two principal components.
 */
export function FixedPointPlot({ trajectory, chars, points }: { trajectory: [number, number][]; chars: string[]; points: PlanePoint[] }) {
  const all = [...trajectory, ...points.map((p) => p.pc)];
  const ext = (k: 0 | 1): [number, number] => {
    const [lo = -1, hi = 1] = d3.extent(all, (p) => p[k]);
    const pad = 0.08 * Math.max(1e-6, hi - lo);
    return [lo - pad, hi + pad];
  };
  const x = d3.scaleLinear().domain(ext(0)).range([M, S - 10]);
  const y = d3.scaleLinear().domain(ext(1)).range([S - M, 10]);
  const path = d3.line<[number, number]>().x((p) => x(p[0])).y((p) => y(p[1]))(trajectory) ?? '';
  return (
    <svg viewBox={`0 0 ${S} ${S}`} width={S} height={S} data-testid="fixed-point-plot" role="img" aria-label="fixed points and the trajectory in the principal plane">
      {x.ticks(5).map((t) => <text key={`x${t}`} x={x(t)} y={S - M + 14} textAnchor="middle" fontSize={9} fill="#626873">{t}</text>)}
      {y.ticks(5).map((t) => <text key={`y${t}`} x={M - 4} y={y(t)} dy="0.32em" textAnchor="end" fontSize={9} fill="#626873">{t}</text>)}
      <path d={path} fill="none" stroke="#9aa0a8" strokeWidth={0.8} />
      {trajectory.map((p, k) => (
        <circle key={k} cx={x(p[0])} cy={y(p[1])} r={1.6} fill="#9aa0a8"><title>{`${k}: ${JSON.stringify(chars[k] ?? '')}`}</title></circle>
      ))}
      {points.map((p, k) => (
        <circle key={`f${k}`} cx={x(p.pc[0])} cy={y(p.pc[1])} r={p.fixed ? 6 : 3.5} fill={p.stable ? '#1b1e23' : '#fff'} stroke={p.stable ? '#1b1e23' : '#c0392b'} strokeWidth={p.fixed ? 2 : 1.2} data-testid="fixed-point">
          <title>{`${p.fixed ? 'fixed' : 'slow'} point, ${p.stable ? 'stable' : 'unstable'}: spectral radius ${p.spectralRadius.toFixed(3)}, q ${p.q.toExponential(2)}`}</title>
        </circle>
      ))}
      <text x={S / 2} y={S - 4} textAnchor="middle" fontSize={10} fill="#626873">PC 1</text>
      <text transform={`translate(10 ${S / 2}) rotate(-90)`} textAnchor="middle" fontSize={10} fill="#626873">PC 2</text>
    </svg>
  );
}
