'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { BINARY_FEATURES } from '@/lib/corpus/feature-tracks.ts';
import { editableQuantities } from '@/lib/causal/editable.ts';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { CausalScatter } from './views/causal-scatter';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';
import { ProgressBar } from './ui/progress-bar';

type Analysis = ApiResponse<'GET /api/recordings/{id}/analysis'>;
type TargetKind = 'char' | 'feature' | 'regex';

export interface RankableLayer {
  index: number;
  name: string;
  kind: string;
  units: number;
}

const FEATURES = BINARY_FEATURES.filter((f) => f !== 'regex');
const FINISHED = ['completed', 'failed', 'cancelled'];

/** What the form's target fields say, as the API spells it ("\n" typed as a newline). */
function targetOf(kind: TargetKind, text: string, feature: string): string {
  if (kind === 'feature') return `feature:${feature}`;
  if (kind === 'regex') return `regex:${text}`;
  return text === '\\n' ? '\n' : text === '\\t' ? '\t' : text;
}

const shown = (target: string): string => JSON.stringify(target);

/**
 * The causal ranking (issue 13): every cell of a layer ablated alone, on the worker, ranked by
 * what the model loses at the target positions, beside each cell's AUC for them. The analysis
 * is a permalink (?analysis=N); a running one shows its progress and can be cancelled.
 */
export function CausalRanking({ recordingId, layers, initialAnalysisId }: { recordingId: number; layers: RankableLayer[]; initialAnalysisId: number | null }) {
  const router = useRouter();
  const [layer, setLayer] = useState(layers[layers.length - 1]?.index ?? 0);
  const kind = layers.find((l) => l.index === layer)?.kind ?? 'lstm';
  const quantities = editableQuantities(kind);
  const [quantity, setQuantity] = useState('h');
  const [targetKind, setTargetKind] = useState<TargetKind>('char');
  const [targetText, setTargetText] = useState('"');
  const [feature, setFeature] = useState<string>('quote');
  const [range, setRange] = useState({ start: '', end: '' });
  const [analysisId, setAnalysisId] = useState<number | null>(initialAnalysisId);
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const failed = (err: unknown): void => setError(err instanceof Error ? err.message : String(err));

  // Follow the analysis until it ends (a second apart).
  useEffect(() => {
    if (analysisId === null) return;
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const a = await api('GET /api/recordings/{id}/analysis', { id: recordingId, query: { analysisId } });
        if (stop) return;
        setAnalysis(a);
        if (!FINISHED.includes(a.status)) timer = setTimeout(() => void poll(), 1000);
      } catch (err) {
        if (!stop) failed(err);
      }
    };
    void poll();
    return () => {
      stop = true;
      if (timer) clearTimeout(timer);
    };
  }, [analysisId, recordingId]);

  // A permalink's form shows what that ranking asked.
  const shownId = analysis?.id;
  useEffect(() => {
    if (!analysis) return;
    const p = analysis.params as { layer?: number; quantity?: string; target?: string; start?: number; end?: number };
    if (typeof p.layer === 'number') setLayer(p.layer);
    if (typeof p.quantity === 'string') setQuantity(p.quantity);
    if (typeof p.target === 'string') {
      const [kind, rest] = p.target.startsWith('feature:') ? ['feature', p.target.slice(8)] as const : p.target.startsWith('regex:') ? ['regex', p.target.slice(6)] as const : ['char', p.target] as const;
      setTargetKind(kind);
      if (kind === 'feature') setFeature(rest);
      else setTargetText(rest === '\n' ? '\\n' : rest === '\t' ? '\\t' : rest);
    }
    setRange({ start: p.start !== undefined ? String(p.start) : '', end: p.end !== undefined ? String(p.end) : '' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownId]);

  const start = async (): Promise<void> => {
    setError(null);
    try {
      const body = {
        layer,
        quantity: quantities.includes(quantity) ? quantity : 'h',
        target: targetOf(targetKind, targetText, feature),
        ...(range.start !== '' ? { start: Number(range.start) } : {}),
        ...(range.end !== '' ? { end: Number(range.end) } : {}),
      };
      const created = await api('POST /api/recordings/{id}/causal-rank', { id: recordingId, body });
      setAnalysis(null);
      setAnalysisId(created.analysisId);
      router.replace(`/recordings/${recordingId}/causal?analysis=${created.analysisId}`);
    } catch (err) {
      failed(err);
    }
  };
  const cancel = (): void => {
    if (analysis?.jobId != null) api('POST /api/jobs/{id}/cancel', { id: analysis.jobId }).catch(failed);
  };
  const open = (r: { layer: number; quantity: string }, index: number): void => router.push(`/recordings/${recordingId}?layer=${r.layer}&q=${r.quantity}&cell=${index}`);
  const result = analysis?.result ?? null;

  return (
    <>
      <section className="panel">
        <form className="controls" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          <label className="field">Layer
            <select value={layer} onChange={(e) => setLayer(Number(e.target.value))} data-testid="causal-layer">
              {layers.map((l) => <option key={l.index} value={l.index}>{l.name} · {l.kind.toUpperCase()}({l.units})</option>)}
            </select>
          </label>
          <label className="field">Quantity
            <select value={quantities.includes(quantity) ? quantity : 'h'} onChange={(e) => setQuantity(e.target.value)} data-testid="causal-quantity">
              {quantities.map((q) => <option key={q} value={q}>{q}</option>)}
            </select>
          </label>
          <label className="field">Target
            <select value={targetKind} onChange={(e) => setTargetKind(e.target.value as TargetKind)} data-testid="causal-target-kind">
              <option value="char">before a character</option>
              <option value="feature">inside a feature</option>
              <option value="regex">where a regex matches</option>
            </select>
          </label>
          {targetKind === 'feature' ? (
            <label className="field">Feature
              <select value={feature} onChange={(e) => setFeature(e.target.value)} data-testid="causal-feature">
                {FEATURES.map((f) => <option key={f} value={f}>{f}</option>)}
              </select>
            </label>
          ) : (
            <label className="field">{targetKind === 'char' ? 'Character (\\n: newline)' : 'Regular expression'}
              <input value={targetText} onChange={(e) => setTargetText(e.target.value)} size={targetKind === 'char' ? 4 : 16} data-testid="causal-target" />
            </label>
          )}
          <label className="field">From
            <input value={range.start} onChange={(e) => setRange({ ...range, start: e.target.value })} placeholder="start" size={8} inputMode="numeric" />
          </label>
          <label className="field">To
            <input value={range.end} onChange={(e) => setRange({ ...range, end: e.target.value })} placeholder="end" size={8} inputMode="numeric" />
          </label>
          <button type="submit" disabled={analysis !== null && !FINISHED.includes(analysis.status)} data-testid="causal-run">Ablate every cell</button>
        </form>
        <p className="small muted">Each cell of the layer is zeroed alone at every step of the range, as parallel streams on the worker; the ranking is the mean change of ln p(target) at the target positions. A few minutes for a large layer over a long range.</p>
        {error && <p className="error" data-testid="causal-error">{error}</p>}
        {analysis && !FINISHED.includes(analysis.status) && (
          <div data-testid="causal-progress">
            <ProgressBar value={analysis.progress} label="ablations" />
            <span className="small muted">{analysis.message || analysis.status} </span>
            <button className="danger" onClick={cancel} data-testid="causal-cancel">Cancel</button>
          </div>
        )}
        {analysis && analysis.status !== 'completed' && FINISHED.includes(analysis.status) && <p className="error" data-testid="causal-ended">This analysis {analysis.status}{analysis.error ? `: ${analysis.error}` : ''}.</p>}
      </section>
      {result && (
        <section className="panel">
          <p className="small muted" data-testid="causal-summary">
            Layer {result.layer} {result.quantity}, target {shown(result.target)}: {result.targets.toLocaleString('en-US')} positions in {result.start.toLocaleString('en-US')}–{result.end.toLocaleString('en-US')}, where the model gives it mean ln p {result.baselineLogp.toFixed(3)}; {result.cells.length} ablations in {(result.tookMs / 1000).toFixed(1)} s. Most needed first; click a row or dot to open the cell.
            <DownloadButtons name={`recording${recordingId}-causal-${analysisId}`} columns={['layer', 'quantity', 'index', 'deltaLogp', 'auc']} rows={result.cells} json={result} testid="causal-download" />
          </p>
          <div className="grid2">
            <table data-testid="causal-table">
              <thead><tr><th>cell</th><th className="num">Δ ln p when zeroed</th><th className="num">AUC</th></tr></thead>
              <tbody>
                {result.cells.slice(0, 25).map((c) => (
                  <tr key={c.index} data-testid="causal-row" onClick={() => open(result, c.index)} style={{ cursor: 'pointer' }}>
                    <td>{c.quantity} #{c.index}</td>
                    <td className="num">{c.deltaLogp.toFixed(4)}</td>
                    <td className="num">{c.auc === undefined ? '–' : c.auc.toFixed(3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FigureExport name={`recording${recordingId}-causal-${analysisId}-scatter`} testid="causal-figure">
              <CausalScatter cells={result.cells} onOpen={(index) => open(result, index)} />
            </FigureExport>
          </div>
        </section>
      )}
    </>
  );
}
