'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { FEATURE_LABELS, FEATURES, type FeatureName } from '@/lib/corpus/feature-tracks.ts';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { CellScatter } from './views/cell-scatter';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

type Ranking = ApiResponse<'GET /api/recordings/{id}/cells'>;

/** The cell finder: pick a feature, rank every recorded cell by it, open a cell in the neuron view. */
export function CellFinder({ recordingId }: { recordingId: number }) {
  const router = useRouter();
  const [feature, setFeature] = useState<FeatureName>('line');
  const [regex, setRegex] = useState('');
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setRanking(await api('GET /api/recordings/{id}/cells', { id: recordingId, query: { feature, limit: 50, ...(feature === 'regex' ? { regex } : {}) } }));
    } catch (err) {
      setRanking(null);
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  // The cell opens in the neuron view with the feature it was ranked by drawn under the text.
  const open = (c: Ranking['cells'][number]): void => {
    const q = new URLSearchParams({ layer: String(c.layer), q: c.quantity, cell: String(c.index), feature: ranking?.feature ?? feature });
    if ((ranking?.feature ?? feature) === 'regex') q.set('regex', regex);
    router.push(`/recordings/${recordingId}?${q.toString()}`);
  };
  return (
    <>
      <section className="panel">
        <form className="controls" onSubmit={(e) => { e.preventDefault(); void run(); }}>
          <label className="field">Feature
            <select value={feature} onChange={(e) => setFeature(e.target.value as FeatureName)} data-testid="finder-feature">
              {FEATURES.map((f) => <option key={f} value={f}>{FEATURE_LABELS[f]}</option>)}
            </select>
          </label>
          {feature === 'regex' && (
            <label className="field">Regular expression
              <input value={regex} onChange={(e) => setRegex(e.target.value)} placeholder="e.g. \n[A-Z]+:" data-testid="finder-regex" />
            </label>
          )}
          <button type="submit" disabled={busy} data-testid="finder-run">{busy ? 'Ranking…' : 'Rank the cells'}</button>
        </form>
        {error && <p className="error" data-testid="finder-error">{error}</p>}
        {ranking?.note && <p className="muted" data-testid="finder-note">{ranking.note}</p>}
        {ranking?.approximate && <p className="error" data-testid="finder-approximate">{ranking.approximate}</p>}
      </section>
      {ranking && ranking.cells.length > 0 && (
        <section className="panel">
          <p className="small muted" data-testid="finder-summary">
            {ranking.measure === 'auc' ? `AUC of each cell for "${FEATURE_LABELS[ranking.feature]}" (${(100 * ranking.coverage).toFixed(1)}% of characters)` : `correlation of each cell with "${FEATURE_LABELS[ranking.feature]}"`}; strongest first, h and c of every layer. Click a row or dot to open the cell.
            <DownloadButtons
              name={`recording${recordingId}-cells-${ranking.feature}`}
              columns={['layer', 'quantity', 'index', 'score', 'threshold', 'side', 'precision', 'recall']}
              rows={ranking.cells}
              json={{ recordingId, ...ranking, ...(ranking.feature === 'regex' ? { regex } : {}) }}
              testid="finder-download"
            />
          </p>
          <div className="grid2">
            <table data-testid="finder-table">
              <thead><tr><th>cell</th><th className="num">{ranking.measure === 'auc' ? 'AUC' : 'r'}</th>{ranking.measure === 'auc' && <><th className="num">threshold</th><th className="num">precision</th><th className="num">recall</th></>}<th /></tr></thead>
              <tbody>
                {ranking.cells.slice(0, 20).map((c) => (
                  <tr key={`${c.layer}-${c.quantity}-${c.index}`} data-testid="finder-row" onClick={() => open(c)} style={{ cursor: 'pointer' }}>
                    <td>layer {c.layer} {c.quantity} #{c.index}</td>
                    <td className="num">{c.score.toFixed(3)}</td>
                    {ranking.measure === 'auc' && <><td className="num">{c.side === 'below' ? '≤' : '≥'} {c.threshold?.toFixed(2)}</td><td className="num">{c.precision?.toFixed(2)}</td><td className="num">{c.recall?.toFixed(2)}</td></>}
                    <td><a href={`/recordings/${recordingId}/neuron?layer=${c.layer}&q=${c.quantity}&cell=${c.index}`} onClick={(e) => e.stopPropagation()} data-testid="finder-neuron-page">page</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FigureExport name={`recording${recordingId}-cells-${ranking.feature}-scatter`} testid="finder-figure">
              <CellScatter cells={ranking.cells} measure={ranking.measure} onOpen={open} />
            </FigureExport>
          </div>
        </section>
      )}
    </>
  );
}
