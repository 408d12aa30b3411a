'use client';
import { useEffect, useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { FlowChart, type FlowSeries } from './views/flow-chart';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

type Flow = ApiResponse<'GET /api/runs/{id}/gradient-flow'>;

export interface ComparableRun {
  id: number;
  label: string;
}

/**
 * Gradient flow (issue 13): this run's checkpoint and, for comparison, the latest checkpoints of
 * other runs, in one log-scale chart, so that LSTM against a tanh RNN shows the vanishing
 * gradient rather than telling it. The runs compared are in the URL (?compare=3,5).
 */
export function GradientFlowPanel({ runId, runLabel, checkpointId, others, initialCompare, onCompare }: { runId: number; runLabel: string; checkpointId: number; others: ComparableRun[]; initialCompare: number[]; onCompare: (ids: number[]) => void }) {
  const [compare, setCompare] = useState<number[]>(initialCompare.filter((id) => others.some((o) => o.id === id)));
  const [flows, setFlows] = useState<Map<number, Flow>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const key = `${checkpointId}:${compare.join(',')}`;
  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    setError(null);
    const asks = [{ id: runId, query: { checkpointId, distance: 64 } }, ...compare.map((id) => ({ id, query: { distance: 64 } }))];
    Promise.all(asks.map((a) => api('GET /api/runs/{id}/gradient-flow', { id: a.id, query: a.query, signal: abort.signal }))).then(
      (all) => {
        setFlows(new Map(all.map((f) => [f.runId, f])));
        setLoading(false);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
        setLoading(false);
      },
    );
    return () => abort.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, runId]);
  const label = (id: number): string => (id === runId ? runLabel : (others.find((o) => o.id === id)?.label ?? `run ${id}`));
  const series: FlowSeries[] = [...flows.values()].flatMap((f) => f.layers.flatMap((l) => l.curves.map((c) => ({ label: `${label(f.runId)} · L${l.layer} ${c.quantity}`, mean: c.mean, lo: c.lo, hi: c.hi }))));
  const rows = series.flatMap((s) => s.mean.map((mean, d) => ({ series: s.label, distance: d + 1, mean, lo: s.lo[d] ?? 0, hi: s.hi[d] ?? 0 })));
  const toggle = (id: number): void => {
    const next = compare.includes(id) ? compare.filter((c) => c !== id) : [...compare, id].slice(0, 5);
    setCompare(next);
    onCompare(next);
  };
  return (
    <section className="panel">
      <h2>Gradient flow</h2>
      <p className="small muted">
        How much a change of the state d steps back moves the state now: ‖∂h_t/∂h_{'{t−d}'}‖ (and an LSTM&apos;s ‖∂c_t/∂c_{'{t−d}'}‖), the product of step Jacobians that backpropagation through time multiplies, over positions of each run&apos;s corpus (16, fewer for large states). Line: geometric mean; band: 10th to 90th percentile.
        {series.length > 0 && <DownloadButtons name={`run${runId}-gradient-flow`} columns={['series', 'distance', 'mean', 'lo', 'hi']} rows={rows} json={[...flows.values()]} testid="flow-download" />}
      </p>
      {others.length > 0 && (
        <p className="small" data-testid="flow-compare">
          Compare with:{' '}
          {others.map((o) => (
            <label key={o.id} style={{ marginRight: 10 }}>
              <input type="checkbox" checked={compare.includes(o.id)} onChange={() => toggle(o.id)} data-testid={`flow-compare-${o.id}`} /> {o.label}
            </label>
          ))}
        </p>
      )}
      {error && <p className="error" data-testid="flow-error">{error}</p>}
      {loading && <p className="small muted">measuring…</p>}
      {series.length > 0 && (
        <FigureExport name={`run${runId}-gradient-flow`} testid="flow-figure">
          <FlowChart series={series} />
        </FigureExport>
      )}
    </section>
  );
}
