'use client';
import { keepPermalinkParams } from '@/lib/stores/permalink-params.ts';
import { api, type ApiResponse } from '@/lib/http/client.ts';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { LOG_DECADES, SaliencyHeatmap, type SaliencyMode } from './views/saliency-heatmap';
import { SaliencyDecayChart } from './views/saliency-decay-chart';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

import { SALIENCY_WINDOWS } from '@/lib/saliency/saliency-limits.ts';

export interface SaliencyQuery {
  pos: number;
  window: number;
  target: string;
  mode: SaliencyMode;
  /** Colour on a log scale (LOG_DECADES decades below the largest value). */
  log: boolean;
}


/**
 * The saliency page: which earlier characters the prediction after a position depends on
 * (heatmap and bars), and, for the recording as a whole, how that dependence decays with distance.
 */
export function SaliencyExplorer({ recording, initial }: { recording: { id: number; start: number; end: number; unit?: 'char' | 'word'; classes?: string[] | null }; initial: SaliencyQuery }) {
  const router = useRouter();
  const pathname = usePathname();
  const [q, setQ] = useState(initial);
  const [posText, setPosText] = useState(String(initial.pos));
  const [targetText, setTargetText] = useState(initial.target);
  const [sal, setSal] = useState<ApiResponse<'GET /api/recordings/{id}/saliency'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [decay, setDecay] = useState<ApiResponse<'GET /api/recordings/{id}/saliency/decay'> | null>(null);
  const [decayError, setDecayError] = useState<string | null>(null);
  const request = useRef(0);
  const recordingId = recording.id;

  useEffect(() => {
    const p = new URLSearchParams({ pos: String(q.pos), window: String(q.window), mode: q.mode });
    if (q.target) p.set('target', q.target);
    if (q.log) p.set('log', '1');
    router.replace(`${pathname}?${keepPermalinkParams(p, window.location.search).toString()}`, { scroll: false });
    setPosText(String(q.pos));
    const ticket = ++request.current;
    setLoading(true);
    setError(null);
    api('GET /api/recordings/{id}/saliency', { id: recordingId, query: { pos: q.pos, window: q.window, ...(q.target ? { target: q.target } : {}) } }).then(
      (s) => ticket === request.current && (setSal(s), setLoading(false)),
      (err: unknown) => ticket === request.current && (setError(err instanceof Error ? err.message : String(err)), setLoading(false)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q.pos, q.window, q.target]);

  useEffect(() => {
    setDecay(null);
    setDecayError(null);
    // The decay is measured on next-character predictions, which a classifier does not make.
    if (recording.classes) return;
    api('GET /api/recordings/{id}/saliency/decay', { id: recordingId, query: { window: q.window } }).then(setDecay, (err: unknown) => setDecayError(err instanceof Error ? err.message : String(err)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q.window]);

  const setPos = (pos: number): void => setQ((s) => ({ ...s, pos: Math.max(recording.start, Math.min(recording.end - 1, pos)), target: '' }));
  // Display-only choices change the URL without a new request.
  const setDisplay = (patch: Partial<Pick<SaliencyQuery, 'mode' | 'log'>>): void => {
    const next = { ...q, ...patch };
    setQ(next);
    const p = new URLSearchParams(window.location.search);
    p.set('mode', next.mode);
    if (next.log) p.set('log', '1');
    else p.delete('log');
    router.replace(`${pathname}?${keepPermalinkParams(p, window.location.search).toString()}`, { scroll: false });
  };
  return (
    <>
      <section className="panel">
        <form className="toolbar" onSubmit={(e) => { e.preventDefault(); const n = Number(posText); if (Number.isInteger(n)) setQ((s) => ({ ...s, pos: n, target: recording.classes || recording.unit === 'word' ? targetText.trim() : [...targetText].length === 1 ? targetText : '' })); }}>
          <button type="button" className="secondary" onClick={() => setPos(q.pos - 1)} disabled={q.pos <= recording.start} data-testid="saliency-prev">←</button>
          <label className="field">Position
            <input type="number" value={posText} onChange={(e) => setPosText(e.target.value)} style={{ width: 110 }} data-testid="saliency-pos" />
          </label>
          <button type="button" className="secondary" onClick={() => setPos(q.pos + 1)} disabled={q.pos >= recording.end - 1} data-testid="saliency-next">→</button>
          {recording.classes ? (
            <label className="field">Target class
              <select value={targetText} onChange={(e) => setTargetText(e.target.value)} data-testid="saliency-target-class">
                <option value="">the one it predicts</option>
                {recording.classes.map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </label>
          ) : (
            <label className="field">Target {recording.unit === 'word' ? 'word' : 'character'} (empty: the true next one)
              <input value={targetText} onChange={(e) => setTargetText(e.target.value)} maxLength={recording.unit === 'word' ? 64 : 2} style={{ width: recording.unit === 'word' ? 120 : 60 }} data-testid="saliency-target-input" />
            </label>
          )}
          <label className="field">Window
            <select value={q.window} onChange={(e) => setQ((s) => ({ ...s, window: Number(e.target.value) }))} data-testid="saliency-window">
              {SALIENCY_WINDOWS.map((w) => <option key={w} value={w}>{w} characters</option>)}
            </select>
          </label>
          <button type="submit" data-testid="saliency-go">Show</button>
          <span className="field" role="radiogroup" aria-label="measure">
            Measure
            <span style={{ display: 'flex', gap: 10 }}>
              <label className="small"><input type="radio" checked={q.mode === 'grad'} onChange={() => setDisplay({ mode: 'grad' })} data-testid="mode-grad" /> ‖gradient‖</label>
              <label className="small"><input type="radio" checked={q.mode === 'gxi'} onChange={() => setDisplay({ mode: 'gxi' })} data-testid="mode-gxi" /> gradient × input</label>
            </span>
          </span>
          <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            <input type="checkbox" checked={q.log} onChange={(e) => setDisplay({ log: e.target.checked })} data-testid="saliency-log" />
            log colour scale ({LOG_DECADES} decades)
          </label>
        </form>
        {error && <p className="error" data-testid="saliency-error">{error}</p>}
        {loading && <p className="small muted">computing gradients…</p>}
        {sal && !error && (
          <>
            <p className="small muted" data-testid="saliency-caption">
              d log p({JSON.stringify(sal.target)}{sal.targetIsNext ? (recording.classes ? ', the class it predicts' : ', the true next character') : ''}) / d input, for the prediction after position {sal.pos.toLocaleString('en-US')} (p = {sal.targetProb.toFixed(3)}), over the {sal.window} characters read before it · checkpoint at step {sal.step} · <span data-testid="saliency-source">{sal.stored ? 'stored with the recording' : 'computed now'}</span>.{' '}
              {q.mode === 'grad' ? 'Darker orange: the prediction is more sensitive to that input.' : 'Red: the character read raised the log-probability; blue: lowered it.'} Click a character to explain the prediction after it.
            </p>
            <FigureExport name={`recording${recording.id}-saliency-${sal.pos}-w${sal.window}`} testid="saliency-figure">
              <SaliencyHeatmap saliency={sal} mode={q.mode} log={q.log} onPick={setPos} words={recording.unit === 'word'} />
            </FigureExport>
            <DownloadButtons
              name={`recording${recording.id}-saliency-${sal.pos}-w${sal.window}`}
              columns={['pos', 'char', 'grad', 'gradXInput']}
              rows={sal.inputs}
              json={{ recordingId: recording.id, ...sal }}
              testid="saliency-download"
            />
          </>
        )}
      </section>
      {recording.classes ? (
        <section className="panel">
          <h2>How far back the model looks</h2>
          <p className="small muted" data-testid="decay-caption">Measured on next-character predictions, which a classifier does not make: ask its saliency position by position above.</p>
        </section>
      ) : <section className="panel">
        <h2>How far back the model looks</h2>
        <p className="small muted" data-testid="decay-caption">
          Mean saliency against distance, over {decay ? decay.samples.toLocaleString('en-US') : 256} {decay?.stored ? 'positions whose saliency is stored with the recording (every one of them)' : 'positions spread over the recording'}, each predicting its true next character.
        </p>
        {decayError && <p className="error">{decayError}</p>}
        {decay ? (
          <FigureExport name={`recording${recording.id}-saliency-decay-w${decay.window}`} testid="decay-figure">
            <SaliencyDecayChart decay={decay} />
          </FigureExport>
        ) : !decayError && <p className="small muted">computing over the recording…</p>}
      </section>}
    </>
  );
}
