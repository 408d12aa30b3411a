'use client';
import { keepPermalinkParams } from '@/lib/stores/permalink-params.ts';
import { api } from '@/lib/http/client.ts';
import { labelUploadSchema } from '@/lib/corpus/label-track.ts';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { layerOptionLabel } from '@/lib/record/recorded-layers.ts';
import { paramsFromMatchState, PLOT_WINDOW, THRESHOLD_LEVELS, type MatchRecordingBounds, type MatchViewState } from '@/lib/stores/match-url.ts';
import { HiddenStatePlot } from './views/hidden-state-plot';
import { MatchList, type MatchRow } from './views/match-list';
import { LengthHistogram } from './views/length-histogram';
import { TagHistogram } from './views/tag-histogram';
import { DownloadButtons } from './ui/download-buttons';
import { FigureExport } from './ui/figure-export';

const PAGE = 50;

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}


/**
 * LSTMVis select & match on one recording: brush a range in the hidden-state plot and set the
 * threshold to select the cells on across it (editable by hand), then match them over the whole
 * recording. The whole state lives in the URL.
 */
export function MatchExplorer({ recording, initial }: { recording: MatchRecordingBounds & { id: number; corpusId: number; unit?: 'char' | 'word' }; initial: MatchViewState }) {
  const words = recording.unit === 'word';
  const router = useRouter();
  const pathname = usePathname();
  const [s, setS] = useState<MatchViewState>(initial);
  const [plot, setPlot] = useState<{ values: number[][]; chars: string[]; from: number } | null>(null);
  const [selection, setSelection] = useState<{ cells: number[]; note?: string } | null>(null);
  const [matches, setMatches] = useState<{ rows: MatchRow[]; tookMs: number; candidates: number; lengths: number[]; tags: Record<string, number>; more: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [addCell, setAddCell] = useState('');
  const [tracks, setTracks] = useState<{ id: number; name: string; labels: number }[]>([]);
  const [track, setTrack] = useState<string>('pos');
  const [labelNote, setLabelNote] = useState<string | null>(null);
  const recordingId = recording.id;
  const request = useRef(0);

  useEffect(() => {
    router.replace(`${pathname}?${keepPermalinkParams(paramsFromMatchState(s), window.location.search).toString()}`, { scroll: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s]);

  const corpusId = recording.corpusId;
  useEffect(() => {
    api('GET /api/corpora/{id}/labels', { id: corpusId }).then((r) => {
      setTracks(r.tracks);
      // Part of speech is tagged on characters: a word corpus shows its own first track.
      if (words && r.tracks[0]) setTrack(String(r.tracks[0].id));
    }, () => setTracks([]));
  }, [corpusId, words]);
  const uploadLabels = async (file: File): Promise<void> => {
    setLabelNote(null);
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (err) {
      setLabelNote(`${file.name} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    // The shape is checked here, the spans against the corpus by the server.
    const upload = labelUploadSchema.safeParse(json);
    if (!upload.success) {
      setLabelNote(upload.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; '));
      return;
    }
    try {
      const added = await api('POST /api/corpora/{id}/labels', { id: corpusId, body: upload.data });
      setTracks((old) => [...old, { id: added.id, name: added.name, labels: added.labels }]);
      setTrack(String(added.id));
      setLabelNote(`added "${added.name}" (${added.labels} labels)`);
    } catch (err) {
      setLabelNote(err instanceof Error ? err.message : String(err));
    }
  };

  useEffect(() => {
    const ticket = ++request.current;
    const range = { start: s.from, end: Math.min(recording.end, s.from + PLOT_WINDOW) };
    Promise.all([
      api('GET /api/recordings/{id}/window', { id: recordingId, query: { layer: s.layer, quantity: s.quantity, ...range } }),
      api('GET /api/recordings/{id}/text', { id: recordingId, query: range }),
    ]).then(
      ([w, t]) => ticket === request.current && setPlot({ values: w.values, chars: t.chars, from: s.from }),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [recordingId, recording.end, s.layer, s.quantity, s.from]);

  useEffect(() => {
    if (s.start === null || s.end === null) return;
    const query = { layer: s.layer, quantity: s.quantity, start: s.start, end: s.end, threshold: s.threshold, offBefore: s.offBefore, offAfter: s.offAfter };
    api('GET /api/recordings/{id}/select', { id: recordingId, query }).then(
      (r) => {
        setSelection(r);
        setError(null);
      },
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  }, [recordingId, s.layer, s.quantity, s.start, s.end, s.threshold, s.offBefore, s.offAfter]);

  const cells = s.cells ?? selection?.cells ?? [];
  const update = (patch: Partial<MatchViewState>): void => {
    setMatches(null);
    setS((old) => ({ ...old, ...patch }));
  };
  /** Runs the match; `offset` > 0 fetches the next page and appends it. */
  const runMatch = async (offset = 0): Promise<void> => {
    if (s.start === null || s.end === null || cells.length === 0) return;
    setBusy(true);
    setError(null);
    const { start, end } = s;
    const lengths = s.sameLength
      ? { exactLength: end - start }
      : { ...(s.minLength !== null ? { minLength: s.minLength } : {}), ...(s.maxLength !== null ? { maxLength: Math.max(s.maxLength, s.minLength ?? 1) } : {}) };
    const query = {
      layer: s.layer, quantity: s.quantity, start, end, threshold: s.threshold, offBefore: s.offBefore, offAfter: s.offAfter,
      cells: cells.join(','), limit: PAGE, offset, strips: true, mode: s.mode,
      ...(words && track === 'pos' ? {} : { track: track === 'pos' ? ('pos' as const) : Number(track) }),
      ...(s.mode === 'soft' ? {} : lengths),
    };
    try {
      const r = await api('GET /api/recordings/{id}/match', { id: recordingId, query });
      setMatches((old) => ({
        rows: offset > 0 && old ? [...old.rows, ...r.matches] : r.matches,
        tookMs: r.tookMs,
        candidates: r.candidates,
        lengths: r.lengths,
        tags: mergeCounts(offset > 0 && old ? old.tags : {}, r.tags ?? {}),
        more: r.matches.length === PAGE,
      }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const lastFrom = Math.max(recording.start, recording.end - PLOT_WINDOW);
  const layerQuantities = recording.stack[s.layer]?.quantities ?? [];
  const layerUnits = recording.stack[s.layer]?.units ?? 0;

  return (
    <>
      <section className="panel">
        <div className="controls">
          <label className="field">Layer
            <select value={s.layer} onChange={(e) => {
              const layer = Number(e.target.value);
              // A GRU or RNN layer has no c: fall back to h.
              update({ layer, cells: null, ...(recording.stack[layer]?.quantities.includes(s.quantity) ? {} : { quantity: 'h' as const }) });
            }} data-testid="match-layer">
              {recording.stack.map((l, i) => <option key={i} value={i}>{layerOptionLabel({ name: l.name ?? String(i), kind: l.kind ?? '', units: l.units }, recording.stack.map((x) => ({ kind: x.kind ?? '', units: x.units })))}</option>)}
            </select>
          </label>
          <label className="field">Quantity
            <select value={s.quantity} onChange={(e) => update({ quantity: e.target.value as 'h' | 'c', cells: null })} data-testid="match-quantity">
              {(['h', 'c'] as const).filter((q) => layerQuantities.includes(q)).map((q) => <option key={q} value={q}>{q === 'h' ? 'hidden state h' : 'cell state c'}</option>)}
            </select>
          </label>
          <label className="field">Threshold
            <select value={s.threshold} onChange={(e) => update({ threshold: Number(e.target.value), cells: null })} data-testid="match-threshold">
              {THRESHOLD_LEVELS.map((t) => <option key={t} value={t}>{t.toFixed(1)}</option>)}
            </select>
          </label>
          <label className="inline"><input type="checkbox" checked={s.offBefore} onChange={(e) => update({ offBefore: e.target.checked, cells: null })} data-testid="match-off-before" /> off before</label>
          <label className="inline"><input type="checkbox" checked={s.offAfter} onChange={(e) => update({ offAfter: e.target.checked, cells: null })} data-testid="match-off-after" /> off after</label>
          <label className="inline"><input type="checkbox" checked={s.sameLength} onChange={(e) => update({ sameLength: e.target.checked })} data-testid="match-same-length" /> same length</label>
          <label className="field">Shortest
            <input type="number" min={1} value={s.minLength ?? ''} placeholder="2" disabled={s.sameLength} onChange={(e) => update({ minLength: e.target.value === '' ? null : Math.max(1, Number(e.target.value)) })} data-testid="match-min-length" style={{ width: 64 }} />
          </label>
          <label className="field">Longest
            <input type="number" min={1} value={s.maxLength ?? ''} placeholder="any" disabled={s.sameLength} onChange={(e) => update({ maxLength: e.target.value === '' ? null : Math.max(1, Number(e.target.value)) })} data-testid="match-max-length" style={{ width: 64 }} />
          </label>
          <span className="spacer" />
          <button type="button" onClick={() => update({ from: Math.max(recording.start, s.from - PLOT_WINDOW / 2) })} disabled={s.from <= recording.start}>◀</button>
          <span className="small muted" data-testid="plot-from">from {s.from.toLocaleString('en-US')}</span>
          <button type="button" onClick={() => update({ from: Math.min(lastFrom, s.from + PLOT_WINDOW / 2) })} disabled={s.from >= lastFrom}>▶</button>
        </div>
        {plot ? (
          <FigureExport name={`recording${recording.id}-L${s.layer}-${s.quantity}-plot-${plot.from}`} testid="plot-figure">
          <HiddenStatePlot
            values={plot.values}
            chars={plot.chars}
            words={words}
            from={plot.from}
            selected={cells}
            threshold={s.threshold}
            levels={THRESHOLD_LEVELS}
            range={s.start !== null && s.end !== null ? [s.start, s.end] : null}
            onBrush={(start, end) => update({ start, end, cells: null })}
            onThreshold={(threshold) => update({ threshold, cells: null })}
          />
          </FigureExport>
        ) : <p className="muted">Loading…</p>}
        <p className="small muted">Drag across the characters to select a range; drag the orange handle (or pick a level) to set the threshold. Shading under the text counts the selected cells on.</p>
      </section>
      <section className="panel">
        <h2>Selection</h2>
        {s.start === null ? <p className="muted">Brush a range in the plot.</p> : (
          <>
            <p data-testid="selection-summary">
              [{s.start.toLocaleString('en-US')}, {s.end?.toLocaleString('en-US')}) · {cells.length} cell{cells.length === 1 ? '' : 's'} on at ≥ {s.threshold.toFixed(1)}
              {s.cells ? ' (edited by hand)' : ''}
            </p>
            {selection?.note && !s.cells && <p className="muted" data-testid="selection-note">{selection.note}</p>}
            <div className="chips" data-testid="selected-cells">
              {cells.map((c) => (
                <span key={c} className="chip">{c}<button type="button" aria-label={`remove cell ${c}`} onClick={() => update({ cells: cells.filter((x) => x !== c) })}>×</button></span>
              ))}
              <input value={addCell} onChange={(e) => setAddCell(e.target.value)} placeholder="add cell" size={7} data-testid="add-cell" />
              <button type="button" onClick={() => {
                const c = Number(addCell);
                if (Number.isInteger(c) && c >= 0 && c < layerUnits && !cells.includes(c)) update({ cells: [...cells, c] });
                setAddCell('');
              }}>add</button>
            </div>
            <div className="controls">
              <label className="field" title="threshold: LSTMVis's match (cells on together); soft: the windows of the selection's length nearest by cosine of those cells' values">Match
                <select value={s.mode} onChange={(e) => update({ mode: e.target.value as 'threshold' | 'soft' })} data-testid="match-mode">
                  <option value="threshold">cells on together (LSTMVis)</option>
                  <option value="soft">nearest by cosine (soft)</option>
                </select>
              </label>
              <label className="field">Annotation track
                <select value={track} onChange={(e) => setTrack(e.target.value)} data-testid="match-track">
                  {!words && <option value="pos">part of speech</option>}
                  {tracks.map((t) => <option key={t.id} value={String(t.id)}>{t.name} ({t.labels} labels)</option>)}
                </select>
              </label>
              <label className="field" title='JSON: {"name": "...", "spans": [{"start": 0, "end": 5, "label": "..."}]}, positions as corpus character offsets'>Add labels (JSON)
                <input type="file" accept="application/json,.json" data-testid="labels-file" onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void uploadLabels(f);
                  e.target.value = '';
                }} />
              </label>
              {labelNote && <span className="small muted" data-testid="labels-note">{labelNote}</span>}
            </div>
            <button type="button" onClick={() => void runMatch(0)} disabled={busy || cells.length === 0} data-testid="run-match">{busy ? 'Matching…' : 'Match over the whole recording'}</button>
          </>
        )}
        {error && <p className="error" data-testid="match-error">{error}</p>}
      </section>
      {matches && (
        <section className="panel">
          <h2>Matches</h2>
          <p className="small muted" data-testid="match-summary">
            {matches.rows.length} best of {matches.candidates.toLocaleString('en-US')} candidate ranges · search {matches.tookMs.toFixed(1)} ms
            <DownloadButtons
              name={`recording${recording.id}-L${s.layer}-${s.quantity}-match-${s.start ?? 0}-${s.end ?? 0}`}
              columns={['start', 'end', 'intersection', 'union', 'jaccard', 'score', 'text']}
              rows={matches.rows.map((m) => ({ ...m, strip: undefined }))}
              json={{ recordingId: recording.id, layer: s.layer, quantity: s.quantity, threshold: s.threshold, mode: s.mode, selection: { start: s.start, end: s.end }, cells, matches: matches.rows.map((m) => ({ ...m, strip: undefined })) }}
              testid="match-download"
            />
          </p>
          <div className="grid2">
            {matches.lengths.length > 0 && (
              <div>
                <p className="small muted">Lengths of the runs where all {cells.length} selected cells are on together, whole recording (selection&apos;s length in orange):</p>
                <LengthHistogram lengths={matches.lengths} selectionLength={s.start !== null && s.end !== null ? s.end - s.start : 0} />
              </div>
            )}
            {Object.keys(matches.tags).length > 0 && (
              <div>
                <p className="small muted">{track === 'pos' ? 'Part of speech (wink-nlp)' : `Labels of "${tracks.find((t) => String(t.id) === track)?.name ?? track}"`} at the matched characters shown:</p>
                <TagHistogram tags={matches.tags} />
              </div>
            )}
          </div>
          <MatchList matches={matches.rows} selectedCount={cells.length} soft={s.mode === 'soft'} onOpen={(m) => setS((old) => ({ ...old, start: m.start, end: m.end, from: Math.min(lastFrom, Math.max(recording.start, m.start - 10)) }))} />
          {matches.more && <button type="button" onClick={() => void runMatch(matches.rows.length)} disabled={busy} data-testid="more-matches">Show {PAGE} more</button>}
        </section>
      )}
    </>
  );
}
