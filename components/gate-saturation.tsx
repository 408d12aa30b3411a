'use client';
import * as d3 from 'd3';
import Link from 'next/link';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import type { SaturationPoint } from '@/lib/neurons/neuron-stats-store.ts';
import { quantityLabel } from '@/models/architectures.ts';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

const W = 340;
const H = 320;
const M = { top: 24, right: 12, bottom: 40, left: 48 };
const x = d3.scaleLinear().domain([0, 1]).range([M.left, W - M.right]);
const y = d3.scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
const COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599'];

const key = (p: SaturationPoint): string => `${p.layer}:${p.quantity}:${p.cell}`;

/** One layer's scatter with a brush: drag a rectangle to select the gate units inside it. */
function LayerPlot({ layer, points, gates, selected, onBrush }: { layer: number; points: SaturationPoint[]; gates: string[]; selected: Set<string>; onBrush: (layer: number, picked: SaturationPoint[] | null) => void }) {
  const brushRef = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!brushRef.current) return;
    const g = d3.select(brushRef.current);
    const brush = d3
      .brush()
      // A little beyond the axes, so units at exactly 0 or 1 can be brushed.
      .extent([[M.left - 6, M.top - 6], [W - M.right + 6, H - M.bottom + 6]])
      .on('end', (event: d3.D3BrushEvent<unknown>) => {
        const sel = event.selection as [[number, number], [number, number]] | null;
        if (!sel) return onBrush(layer, null);
        const [[x0, y0], [x1, y1]] = sel;
        onBrush(layer, points.filter((p) => x(p.low) >= x0 && x(p.low) <= x1 && y(p.high) >= y0 && y(p.high) <= y1));
      });
    g.call(brush);
    return () => {
      g.on('.brush', null);
    };
  }, [layer, points, onBrush]);
  const color = (q: string): string => COLORS[gates.indexOf(q) % COLORS.length] ?? '#555';
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }} role="img" aria-label={`layer ${layer} gate saturation`} data-testid={`gate-plot-${layer}`}>
      <text x={(M.left + W - M.right) / 2} y={11} textAnchor="middle" fontSize={12} fontWeight={600} fill="#333">layer {layer}</text>
      {[0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => (
        <g key={t}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#eef0f3" />
          <line x1={x(t)} x2={x(t)} y1={M.top} y2={H - M.bottom} stroke="#eef0f3" />
          <text x={M.left - 5} y={y(t)} dy="0.32em" textAnchor="end" fontSize={10} fill="#626873">{t}</text>
          <text x={x(t)} y={H - M.bottom + 14} textAnchor="middle" fontSize={10} fill="#626873">{t}</text>
        </g>
      ))}
      <line x1={x(0)} y1={y(1)} x2={x(1)} y2={y(0)} stroke="#d0d4da" strokeDasharray="3 3" />
      <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle" fontSize={11} fill="#626873">fraction left-saturated (&lt; 0.1)</text>
      <text transform={`translate(12, ${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" fontSize={11} fill="#626873">fraction right-saturated (&gt; 0.9)</text>
      <g ref={brushRef} />
      {points.map((p) => (
        <circle key={key(p)} cx={x(p.low)} cy={y(p.high)} r={selected.has(key(p)) ? 4 : 2.6} fill={color(p.quantity)} fillOpacity={selected.size === 0 || selected.has(key(p)) ? 0.8 : 0.18} stroke={selected.has(key(p)) ? '#111' : 'none'} pointerEvents="none" data-testid="gate-dot">
          <title>{`${p.quantity}[${p.cell}]: ${(100 * p.low).toFixed(1)}% below 0.1, ${(100 * p.high).toFixed(1)}% above 0.9`}</title>
        </circle>
      ))}
    </svg>
  );
}

/**
 * Karpathy et al.'s gate saturation plot, one panel per layer: every gate unit placed by how
 * often it is nearly closed and nearly open. Brushing selects units; the selection opens in the
 * neuron view (as strips) or in select & match (their cells' hidden states).
 */
export function GateSaturationView({ recordingId, hasHidden, noGates = 'This architecture records no gates.' }: { recordingId: number; hasHidden: boolean; noGates?: string }) {
  const [data, setData] = useState<ApiResponse<'GET /api/recordings/{id}/gates'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [brushed, setBrushed] = useState<Map<number, SaturationPoint[]>>(new Map());
  useEffect(() => {
    api('GET /api/recordings/{id}/gates', { id: recordingId }).then(setData, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [recordingId]);
  const onBrush = useMemo(
    () => (layer: number, picked: SaturationPoint[] | null) =>
      setBrushed((prev) => {
        const next = new Map(prev);
        if (picked) next.set(layer, picked);
        else next.delete(layer);
        return next;
      }),
    [],
  );
  // Per-layer arrays kept stable across renders, so a layer's brush is set up once.
  const byLayer = useMemo(() => (data ? Array.from({ length: data.layers }, (_, layer) => data.points.filter((p) => p.layer === layer)) : []), [data]);
  if (error) return <section className="panel"><p className="error">{error}</p></section>;
  if (!data) return <section className="panel"><p className="muted">loading…</p></section>;
  if (data.gates.length === 0) return <section className="panel"><p data-testid="no-gates">{noGates}</p></section>;
  const selectedPoints = [...brushed.values()].flat();
  const selected = new Set(selectedPoints.map(key));
  const groups = d3.groups(selectedPoints, (p) => p.layer, (p) => p.quantity);
  return (
    <>
      <section className="panel">
        <div className="toolbar small">
          {data.gates.map((g, k) => (
            <span key={g} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
              <svg width={10} height={10}><circle cx={5} cy={5} r={4} fill={COLORS[k % COLORS.length]} /></svg>
              {quantityLabel(g)}
            </span>
          ))}
          <span className="muted">Drag a rectangle over dots to select gate units.</span>
          <DownloadButtons name={`recording${recordingId}-gate-saturation`} columns={['layer', 'quantity', 'cell', 'low', 'high']} rows={data.points} testid="gates-download" />
        </div>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16 }}>
          {Array.from({ length: data.layers }, (_, layer) => (
            <FigureExport key={layer} name={`recording${recordingId}-gate-saturation-layer${layer}`} testid={`gate-figure-${layer}`}>
              <LayerPlot layer={layer} gates={data.gates} points={byLayer[layer] ?? []} selected={selected} onBrush={onBrush} />
            </FigureExport>
          ))}
        </div>
      </section>
      <section className="panel" data-testid="gate-selection">
        <h2>Selected: {selectedPoints.length} gate unit{selectedPoints.length === 1 ? '' : 's'}</h2>
        {groups.length === 0 && <p className="small muted">Nothing selected yet.</p>}
        {groups.map(([layer, byGate]) => {
          const cells = [...new Set(byGate.flatMap(([, ps]) => ps.map((p) => p.cell)))].sort((a, b) => a - b);
          return (
            <div key={layer} style={{ marginBottom: 10 }}>
              {byGate.map(([q, ps]) => {
                const ids = ps.map((p) => p.cell).sort((a, b) => a - b);
                const [first, ...rest] = ids;
                return (
                  <p key={q} className="small">
                    layer {layer} {quantityLabel(q)}: {ids.slice(0, 40).map((c, i) => <span key={c}>{i > 0 && ', '}<Link href={`/recordings/${recordingId}/neuron?layer=${layer}&q=${q}&cell=${c}`}>{c}</Link></span>)}{ids.length > 40 ? ` … (${ids.length})` : ''}
                    {' · '}
                    <Link href={`/recordings/${recordingId}?layer=${layer}&q=${q}&cell=${first}${rest.length ? `&cells=${rest.slice(0, 12).join(',')}` : ''}&gates=1`} data-testid="open-selection-neurons">open in the neuron view</Link>
                  </p>
                );
              })}
              {hasHidden && (
                <p className="small">
                  <Link href={`/recordings/${recordingId}/match?layer=${layer}&q=h&cells=${cells.join(',')}`} data-testid="open-selection-match">select &amp; match on these {cells.length} cells&apos; hidden states</Link>
                </p>
              )}
            </div>
          );
        })}
      </section>
    </>
  );
}
