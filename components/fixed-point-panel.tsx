'use client';
import { useEffect, useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { FixedPointPlot } from './views/fixed-point-plot';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

type Report = ApiResponse<'GET /api/runs/{id}/fixed-points'>;

/** Fixed points (Sussillo & Barak 2013) of the first layer under one input character, on the dynamics page. */
export function FixedPointPanel({ runId, checkpointId }: { runId: number; checkpointId: number }) {
  const [text, setText] = useState(' ');
  const [input, setInput] = useState(' ');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const abort = new AbortController();
    setBusy(true);
    setError(null);
    api('GET /api/runs/{id}/fixed-points', { id: runId, query: { checkpointId, input }, signal: abort.signal }).then(
      (r) => {
        setReport(r);
        setBusy(false);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
        setBusy(false);
      },
    );
    return () => abort.abort();
  }, [runId, checkpointId, input]);
  const show = (ch: string): string => JSON.stringify(ch);
  return (
    <section className="panel">
      <h2>Fixed points</h2>
      <p className="small muted">
        Where the first layer&apos;s state stops moving if the same character kept coming: minima of ½‖F(s, x) − s‖² searched from 32 states the layer visits on the text (Sussillo &amp; Barak 2013). Large: fixed points (q ≈ 0); small: slow points, where the state moves by a few hundredths a unit per step. Filled: stable (every eigenvalue of the Jacobian there inside the unit circle); ringed red: unstable. Drawn with that stretch of the trajectory in the plane of its first two principal components.
        {report && <DownloadButtons name={`run${runId}-fixed-points`} columns={['fixed', 'q', 'spectralRadius', 'stable']} rows={report.points.map((p) => ({ fixed: p.fixed, q: p.q, spectralRadius: p.spectralRadius, stable: p.stable }))} json={report} testid="fixed-points-download" />}
      </p>
      <div className="controls">
        <label className="field">Input character (\n: newline)
          <span style={{ display: 'flex', gap: 4 }}>
            <input value={text} onChange={(e) => setText(e.target.value)} size={4} data-testid="fixed-point-input" />
            <button type="button" className="secondary" onClick={() => setInput(text === '\\n' ? '\n' : text)} data-testid="fixed-point-go">Find</button>
          </span>
        </label>
      </div>
      {error && <p className="error" data-testid="fixed-point-error">{error}</p>}
      {busy && <p className="small muted">searching…</p>}
      {report && (
        <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap', alignItems: 'flex-start' }}>
          <FigureExport name={`run${runId}-fixed-points`} testid="fixed-point-figure">
            <FixedPointPlot trajectory={report.trajectory.pc} chars={report.trajectory.chars} points={report.points} />
          </FigureExport>
          <div>
            <p className="small" data-testid="fixed-point-summary">Under {show(report.input)}: {report.points.filter((p) => p.fixed).length} fixed and {report.points.filter((p) => !p.fixed).length} slow points from {report.starts} starts; the plane holds {(100 * (report.explained[0] ?? 0)).toFixed(0)}% + {(100 * (report.explained[1] ?? 0)).toFixed(0)}% of the trajectory&apos;s variance.</p>
            <table data-testid="fixed-point-table">
              <thead><tr><th>point</th><th className="num">q</th><th className="num">spectral radius</th><th>stable</th></tr></thead>
              <tbody>{report.points.map((p, k) => <tr key={k}><td>{p.fixed ? 'fixed' : 'slow'}</td><td className="num">{p.q.toExponential(1)}</td><td className="num">{p.spectralRadius.toFixed(3)}</td><td>{p.stable ? 'yes' : 'no'}</td></tr>)}</tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
