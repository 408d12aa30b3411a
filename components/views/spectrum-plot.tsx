'use client';
import * as d3 from 'd3';

const S = 340;
const M = 30;

/**
 * A layer's recurrent spectrum in the complex plane: the unit circle (dashed), the Gershgorin
 * discs as outlines (every eigenvalue lies in their union), and the eigenvalues (red outside the unit
 * circle: directions the matrix alone would grow).
 */
export function SpectrumPlot({ eigenvalues, discs, title }: { eigenvalues: [number, number][]; discs: [number, number, number][]; title: string }) {
  // Framed on the eigenvalues and the unit circle; discs reaching further are cut at the frame
  // (for a dense trained matrix they are much wider than the spectrum: the bound is loose).
  const reach = Math.max(1.3, ...eigenvalues.map(([re, im]) => Math.max(Math.abs(re), Math.abs(im)) * 1.15));
  const discReach = discs.reduce((m, [c, , r]) => Math.max(m, Math.abs(c) + r), 0);
  const clip = `spectrum-clip-${title.replace(/[^a-z0-9]/gi, '')}`;
  const x = d3.scaleLinear().domain([-reach, reach]).range([M, S - M / 2]);
  const y = d3.scaleLinear().domain([-reach, reach]).range([S - M, M / 2]);
  const unit = x(1) - x(0);
  const ticks = x.ticks(5);
  return (
    <svg viewBox={`0 0 ${S} ${S}`} width={S} height={S} data-testid="spectrum-plot" role="img" aria-label={title}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={y(-reach)} y2={y(reach)} stroke="#f0f1f4" />
          <line x1={x(-reach)} x2={x(reach)} y1={y(t)} y2={y(t)} stroke="#f0f1f4" />
          <text x={x(t)} y={S - M + 12} textAnchor="middle" fontSize={9} fill="#626873">{t}</text>
          <text x={M - 4} y={y(t)} dy="0.32em" textAnchor="end" fontSize={9} fill="#626873">{t}</text>
        </g>
      ))}
      <line x1={x(-reach)} x2={x(reach)} y1={y(0)} y2={y(0)} stroke="#c3c7ce" />
      <line x1={x(0)} x2={x(0)} y1={y(-reach)} y2={y(reach)} stroke="#c3c7ce" />
      <defs><clipPath id={clip}><rect x={x(-reach)} y={y(reach)} width={x(reach) - x(-reach)} height={y(-reach) - y(reach)} /></clipPath></defs>
      <g clipPath={`url(#${clip})`}>
        {discs.map(([c, ci, r], k) => <circle key={`d${k}`} cx={x(c)} cy={y(ci)} r={Math.max(0.5, r * unit)} fill="none" stroke="#3b6ea5" strokeOpacity={0.3} strokeWidth={0.6} data-testid="spectrum-disc" />)}
      </g>
      <circle cx={x(0)} cy={y(0)} r={unit} fill="none" stroke="#222" strokeDasharray="4 3" />
      {eigenvalues.map(([re, im], k) => (
        <circle key={`e${k}`} cx={x(re)} cy={y(im)} r={2.6} fill={Math.hypot(re, im) > 1 ? '#c0392b' : '#1b1e23'} data-testid="spectrum-eigenvalue">
          <title>{`${re.toFixed(4)} ${im >= 0 ? '+' : '−'} ${Math.abs(im).toFixed(4)}i (|λ| ${Math.hypot(re, im).toFixed(4)})`}</title>
        </circle>
      ))}
      <text x={S / 2} y={S - 4} textAnchor="middle" fontSize={10} fill="#626873">Re λ</text>
      {discReach > reach && <text x={S - M / 2} y={M / 2 + 8} textAnchor="end" fontSize={9} fill="#3b6ea5">discs reach |z| = {discReach.toFixed(1)}</text>}
      <text transform={`translate(9 ${S / 2}) rotate(-90)`} textAnchor="middle" fontSize={10} fill="#626873">Im λ</text>
    </svg>
  );
}
