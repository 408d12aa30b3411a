'use client';
import { useEffect, useState } from 'react';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { RadiusStrip } from './views/radius-strip';
import { SpectrumPlot } from './views/spectrum-plot';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

type Jacobian = ApiResponse<'GET /api/runs/{id}/jacobian'>;

/**
 * The state Jacobian along the text (issue 13): for a layer of the checkpoint, the spectral
 * radius of ∂s_t/∂s_{t−1} at each character of a stretch, and the spectra where it is largest
 * and smallest.
 */
export function JacobianPanel({ runId, checkpointId, layers }: { runId: number; checkpointId: number; layers: number }) {
  const [layer, setLayer] = useState(layers - 1);
  const [start, setStart] = useState('64');
  const [asked, setAsked] = useState(64);
  const [report, setReport] = useState<Jacobian | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    setError(null);
    api('GET /api/runs/{id}/jacobian', { id: runId, query: { checkpointId, layer, start: asked }, signal: abort.signal }).then(setReport, (err: unknown) => !abort.signal.aborted && setError(err instanceof Error ? err.message : String(err)));
    return () => abort.abort();
  }, [runId, checkpointId, layer, asked]);
  return (
    <section className="panel">
      <h2>State Jacobian along the text</h2>
      <p className="small muted">
        The spectral radius of ∂s_t/∂s_{'{t−1}'} (s: h, and an LSTM&apos;s c) at each character: darker where the layer holds on to what it carries, lighter where it lets go; red past 1.
        {report && <DownloadButtons name={`run${runId}-jacobian-${report.start}`} columns={['pos', 'char', 'radius']} rows={report.chars.map((char, k) => ({ pos: report.start + k, char, radius: report.radius[k] ?? 0 }))} json={report} testid="jacobian-download" />}
      </p>
      <div className="controls">
        {layers > 1 && (
          <label className="field">Layer
            <select value={layer} onChange={(e) => setLayer(Number(e.target.value))} data-testid="jacobian-layer">
              {Array.from({ length: layers }, (_, l) => <option key={l} value={l}>{l}</option>)}
            </select>
          </label>
        )}
        <label className="field">From character
          <span style={{ display: 'flex', gap: 4 }}>
            <input value={start} onChange={(e) => setStart(e.target.value)} size={8} inputMode="numeric" data-testid="jacobian-start" />
            <button type="button" className="secondary" onClick={() => /^\d+$/.test(start) && setAsked(Number(start))}>Go</button>
          </span>
        </label>
      </div>
      {error && <p className="error" data-testid="jacobian-error">{error}</p>}
      {report && (
        <>
          <RadiusStrip start={report.start} chars={report.chars} radius={report.radius} />
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 24, marginTop: 10 }}>
            {report.spectra.map((s) => (
              <div key={s.pos} data-testid="jacobian-spectrum">
                <p className="small">At {s.pos} ({JSON.stringify(report.chars[s.pos - report.start] ?? '')}): spectral radius {s.spectralRadius.toFixed(3)}, {report.stateSize} eigenvalues</p>
                <FigureExport name={`run${runId}-jacobian-${s.pos}`} testid={`jacobian-figure-${s.pos}`}>
                  <SpectrumPlot eigenvalues={s.eigenvalues} discs={[]} title={`state Jacobian eigenvalues at ${s.pos}`} />
                </FigureExport>
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
