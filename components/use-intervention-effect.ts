'use client';
import { useEffect, useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import type { EffectStrip } from './views/neuron-text';

type Report = ApiResponse<'POST /api/recordings/{id}/intervene'>;

export interface InterventionEffect {
  strip: EffectStrip | null;
  /** One line for the controls: the change of bits per character over the window. */
  summary: string | null;
  loading: boolean;
  error: string | null;
}

/**
 * The neuron view's container side of an intervention: runs it over the shown window whenever
 * it, the cells or the window change, and hands the view the strip to draw.
 */
export function useInterventionEffect(q: { recordingId: number; layer: number; quantity: string; cells: number[]; start: number; end: number; spec: string | null; enabled: boolean }): InterventionEffect {
  const [report, setReport] = useState<Report | null>(null);
  const [state, setState] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null });
  const cellKey = q.cells.join(',');
  useEffect(() => {
    setReport(null);
    if (!q.spec || !q.enabled || q.end <= q.start) return setState({ loading: false, error: null });
    const abort = new AbortController();
    setState({ loading: true, error: null });
    api('POST /api/recordings/{id}/intervene', { id: q.recordingId, body: { layer: q.layer, quantity: q.quantity, cells: cellKey, set: q.spec, start: q.start, end: q.end, detail: true }, signal: abort.signal }).then(
      (r) => {
        setReport(r);
        setState({ loading: false, error: null });
      },
      (err: unknown) => !abort.signal.aborted && setState({ loading: false, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => abort.abort();
  }, [q.recordingId, q.layer, q.quantity, cellKey, q.start, q.end, q.spec, q.enabled]);
  const label = report ? `${report.quantity}[${report.cells.join(',')}] ${report.set}` : '';
  return {
    strip: report?.deltaLogp ? { label, deltaLogp: report.deltaLogp, tops: report.tops } : null,
    summary: state.loading ? 'running the model with and without it…' : state.error ? state.error
      : report ? `${label}: ${report.bpcBefore.toFixed(3)} → ${report.bpcAfter.toFixed(3)} bits/char over the window (${report.deltaBpc >= 0 ? '+' : ''}${report.deltaBpc.toFixed(4)})` : null,
    ...state,
  };
}
