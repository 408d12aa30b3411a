'use client';
import { keepPermalinkParams } from '@/lib/stores/permalink-params.ts';
import { api } from '@/lib/http/client.ts';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { isGate, quantityLabel } from '@/models/architectures.ts';
import { FEATURE_LABELS, FEATURES } from '@/lib/corpus/feature-tracks.ts';
import { resetNeuronView, selectSelection, useNeuronView, type NeuronSelection } from '@/lib/stores/neuron-view-store.ts';
import { layerBounds, paramsFromSelection, WINDOW_LENGTHS, type RecordingBounds } from '@/lib/stores/neuron-url.ts';
import { CellPicker } from '../cell-picker';
import { layerCaption } from '@/lib/record/recorded-layers.ts';
import { ActivationLegend } from './activation-legend';
import { NeuronText } from './neuron-text';
import { neuronFigureSvg } from './neuron-text-svg';
import { saveText } from '../ui/download-buttons';
import { saveSvgAsPng } from '../ui/figure-export';
import { InterventionControls } from '../intervention-controls';
import { useInterventionEffect } from '../use-intervention-effect';
import { editableQuantities } from '@/lib/causal/editable.ts';

export interface NeuronViewProps {
  recording: RecordingBounds & { id: number; unit?: 'char' | 'word'; /** Why it holds no predictions (imported states, a bidirectional model); absent: it does. */ noPredictions?: string; classes?: string[] | null };
  initial: NeuronSelection;
}


/** The neuron-firing page: controls, the coloured text, and URL sync of the whole state. */
export function NeuronView({ recording, initial }: NeuronViewProps) {
  const router = useRouter();
  const pathname = usePathname();
  const sel = useNeuronView(useShallow(selectSelection));
  const data = useNeuronView((s) => s.data);
  const setSelection = useNeuronView((s) => s.setSelection);
  const setData = useNeuronView((s) => s.setData);
  const stepCell = useNeuronView((s) => s.stepCell);
  const [ready, setReady] = useState(false);
  const [jump, setJump] = useState(String(initial.offset));
  const [search, setSearch] = useState('');
  const [searchNote, setSearchNote] = useState<string | null>(null);
  const request = useRef(0);
  const [regexText, setRegexText] = useState(initial.regex);
  const layer = layerBounds(recording, sel.layer);
  const hidden = layer.units;
  const gateQuantities = layer.quantities.filter(isGate);
  // Say which layer it is when layers differ or read in both directions.
  const describeLayer = recording.stack.some((l) => l.kind !== layer.kind || l.units !== layer.units || l.direction === 'backward');

  useEffect(() => {
    resetNeuronView(initial);
    setReady(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recording.id]);

  // The URL holds the view's state, so a link reproduces it.
  useEffect(() => {
    if (!ready) return;
    router.replace(`${pathname}?${keepPermalinkParams(paramsFromSelection(sel), window.location.search).toString()}`, { scroll: false });
    setJump(String(sel.offset));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, sel.layer, sel.quantity, sel.cell, sel.extraCells, sel.offset, sel.length, sel.showPredictions, sel.feature, sel.regex, sel.gates, sel.tanh, sel.intervene]);

  // Text and predictions depend on the window; activations also on the cells.
  useEffect(() => {
    if (!ready) return;
    const ticket = ++request.current;
    const start = sel.offset;
    const end = Math.min(recording.end, start + sel.length);
    const cells = [sel.cell, ...sel.extraCells.filter((c) => c !== sel.cell)];
    setData({ loading: true, error: null });
    const recordingId = recording.id;
    const range = { start, end };
    Promise.all([
      api('GET /api/recordings/{id}/text', { id: recordingId, query: range }),
      api('GET /api/recordings/{id}/window', { id: recordingId, query: { layer: sel.layer, quantity: sel.quantity, ...range, cells: cells.join(',') } }),
      sel.showPredictions && !recording.noPredictions ? api('GET /api/recordings/{id}/predictions', { id: recordingId, query: range }) : Promise.resolve(null),
      sel.feature ? api('GET /api/recordings/{id}/feature', { id: recordingId, query: { feature: sel.feature, ...range, ...(sel.feature === 'regex' ? { regex: sel.regex } : {}) } }) : Promise.resolve(null),
      Promise.all(
        (sel.gates ? gateQuantities : []).map((g) =>
          api('GET /api/recordings/{id}/window', { id: recordingId, query: { layer: sel.layer, quantity: g, ...range, cells: String(sel.cell) } }).then((w) => [g, w.values[0] ?? []] as [string, number[]]),
        ),
      ),
    ]).then(
      ([text, win, preds, feat, gates]) => {
        if (ticket !== request.current) return;
        const values = new Map<number, number[]>();
        win.cells.forEach((c, k) => values.set(c, win.values[k] ?? []));
        // Numeric features (line position, depth) are drawn relative to their largest value.
        const featureValues = feat ? feat.values.map((v) => (feat.binary ? v : v / Math.max(1e-9, feat.max))) : null;
        setData({ start: text.start, chars: text.chars, sequenceStarts: text.sequenceStarts, values, predictions: preds?.top ?? [], nextProb: preds?.nextProb ?? [], featureValues, gateValues: gates, loading: false });
      },
      (err: unknown) => ticket === request.current && setData({ loading: false, error: err instanceof Error ? err.message : String(err) }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, sel.layer, sel.quantity, sel.cell, sel.extraCells, sel.offset, sel.length, sel.showPredictions, sel.feature, sel.regex, sel.gates]);

  // An intervention on the shown cells over the window (models with predictions, quantities it can set).
  const canIntervene = !recording.noPredictions && !recording.classes && recording.unit !== 'word' && editableQuantities(layer.kind).includes(sel.quantity);
  const shownCells = [sel.cell, ...sel.extraCells.filter((c) => c !== sel.cell)];
  const effect = useInterventionEffect({
    recordingId: recording.id, layer: sel.layer, quantity: sel.quantity, cells: shownCells, start: sel.offset, end: Math.min(recording.end, sel.offset + sel.length), spec: sel.intervene, enabled: ready && canIntervene,
  });

  // Keyboard: ] or j = next cell, [ or k = previous (outside text inputs).
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (e.key === ']' || e.key === 'j') stepCell(1, hidden);
      else if (e.key === '[' || e.key === 'k') stepCell(-1, hidden);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hidden, stepCell]);

  const clampOffset = (o: number): number => Math.max(recording.start, Math.min(Math.max(recording.start, recording.end - 1), Math.round(o)));
  const runSearch = async (): Promise<void> => {
    if (!search) return;
    setSearchNote(null);
    try {
      const from = sel.highlight ? sel.highlight[0] + 1 : sel.offset;
      const res = await api('GET /api/recordings/{id}/search', { id: recording.id, query: { q: search, from } });
      if (res.offset === null) setSearchNote('not found in the recorded text');
      else setSelection({ offset: clampOffset(res.offset - 40), highlight: [res.offset, res.offset + Array.from(search).length] });
    } catch (err) {
      setSearchNote(err instanceof Error ? err.message : String(err));
    }
  };

  // tanh(c): an unbounded cell state as its output gate sees it (only c is unbounded).
  const shown = (values: number[]): number[] => (sel.tanh && sel.quantity === 'c' ? values.map(Math.tanh) : values);
  const primary = shown(data.values.get(sel.cell) ?? []);
  const label = (c: number): string => (sel.tanh && sel.quantity === 'c' ? `L${sel.layer} tanh(c[${c}])` : `L${sel.layer} ${sel.quantity}[${c}]`);
  const figureName = `recording${recording.id}-L${sel.layer}-${sel.quantity}${sel.cell}-${sel.offset}`;
  // The window as drawn, as a standalone figure.
  const figure = () => neuronFigureSvg({
    title: `recording ${recording.id} · ${label(sel.cell)} · ${recording.unit === 'word' ? 'words' : 'characters'} ${data.start}–${data.start + data.chars.length}`,
    chars: data.chars,
    primary,
    words: recording.unit === 'word',
    strips: [
      ...(data.featureValues && sel.feature ? [{ kind: 'feature' as const, label: sel.feature, values: data.featureValues }] : []),
      ...data.gateValues.map(([q, values]) => ({ kind: 'gate' as const, label: `${q}[${sel.cell}]`, values })),
      ...sel.extraCells.filter((c) => c !== sel.cell).map((c) => ({ kind: 'cell' as const, label: label(c), values: shown(data.values.get(c) ?? []) })),
    ],
  });
  return (
    <>
      <section className="panel">
        <div className="toolbar">
          <CellPicker recording={recording} />
        </div>
        <div className="toolbar">
          <button type="button" className="secondary" onClick={() => setSelection({ offset: clampOffset(sel.offset - sel.length), highlight: null })} disabled={sel.offset <= recording.start} data-testid="prev-window">← Previous</button>
          <button type="button" className="secondary" onClick={() => setSelection({ offset: clampOffset(sel.offset + sel.length), highlight: null })} disabled={sel.offset + sel.length >= recording.end} data-testid="next-window">Next →</button>
          <label className="field">
            Jump to offset
            <span style={{ display: 'flex', gap: 4 }}>
              <input type="number" value={jump} onChange={(e) => setJump(e.target.value)} style={{ width: 110 }} data-testid="jump-offset" />
              <button type="button" className="secondary" onClick={() => setSelection({ offset: clampOffset(Number(jump) || 0), highlight: null })} data-testid="jump-button">Go</button>
            </span>
          </label>
          <label className="field">
            Find text
            <span style={{ display: 'flex', gap: 4 }}>
              <input value={search} onChange={(e) => setSearch(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void runSearch()} style={{ width: 160 }} data-testid="search-text" />
              <button type="button" className="secondary" onClick={() => void runSearch()} data-testid="search-button">Find next</button>
            </span>
          </label>
          <label className="field">
            Window
            <select value={sel.length} onChange={(e) => setSelection({ length: Number(e.target.value) })}>
              {WINDOW_LENGTHS.map((n) => <option key={n} value={n}>{n} {recording.unit === 'word' ? 'words' : 'chars'}</option>)}
            </select>
          </label>
          <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            <input type="checkbox" checked={sel.showPredictions && !recording.noPredictions} disabled={!!recording.noPredictions} onChange={(e) => setSelection({ showPredictions: e.target.checked })} data-testid="toggle-predictions" />
            {recording.noPredictions ? `no predictions (${recording.noPredictions})` : recording.classes ? 'class probabilities' : 'top-5 predictions'}
          </label>
          {sel.quantity === 'c' && (
            <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }} title="colour by tanh(c), what the output gate sees (LSTMVis's default): a cell far past ±1 stays readable">
              <input type="checkbox" checked={sel.tanh} onChange={(e) => setSelection({ tanh: e.target.checked })} data-testid="toggle-tanh" />
              tanh(c)
            </label>
          )}
          {gateQuantities.length > 0 && (
            <label className="small" style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
              <input type="checkbox" checked={sel.gates} onChange={(e) => setSelection({ gates: e.target.checked })} data-testid="toggle-gates" />
              gate traces ({gateQuantities.join(' ')})
            </label>
          )}
          {canIntervene && <InterventionControls value={sel.intervene} cells={shownCells.length} onChange={(spec) => setSelection({ intervene: spec })} summary={effect.summary} />}
          {recording.unit !== 'word' && (<>
          <label className="field">
            Feature under the text
            <select value={sel.feature ?? ''} onChange={(e) => setSelection({ feature: e.target.value === '' ? null : e.target.value === 'regex' && !regexText ? null : e.target.value, regex: regexText })} data-testid="feature-select">
              <option value="">none</option>
              {FEATURES.map((f) => <option key={f} value={f}>{FEATURE_LABELS[f]}</option>)}
            </select>
          </label>
          <label className="field">
            Regex
            <input value={regexText} onChange={(e) => setRegexText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && regexText && setSelection({ feature: 'regex', regex: regexText })} placeholder="Enter: draw its matches" style={{ width: 150 }} data-testid="feature-regex" />
          </label>
          </>)}
        </div>
        <div style={{ display: 'flex', gap: 20, alignItems: 'center', flexWrap: 'wrap' }}>
          <ActivationLegend />
          <span className="small muted" data-testid="view-caption">
            Layer {describeLayer ? layerCaption({ ...layer, direction: layer.direction ?? 'forward' }) : sel.layer} · {quantityLabel(sel.quantity)}{sel.tanh && sel.quantity === 'c' ? ', coloured by tanh(c)' : ''} · cell {sel.cell} (<Link href={`/recordings/${recording.id}/neuron?layer=${sel.layer}&q=${sel.quantity}&cell=${sel.cell}`} data-testid="open-neuron-page">its page</Link>) · {recording.unit === 'word' ? 'words' : 'characters'} {sel.offset.toLocaleString('en-US')}–{Math.min(recording.end, sel.offset + sel.length).toLocaleString('en-US')} of {recording.end.toLocaleString('en-US')} · keys [ ] step cells
          </span>
          <span className="small" data-testid="export-window">
            download this window&apos;s {sel.quantity} (all cells):{' '}
            {(['npy', 'csv', 'json'] as const).map((f) => (
              <a key={f} href={`/api/recordings/${recording.id}/export?layer=${sel.layer}&quantity=${sel.quantity}&start=${sel.offset}&end=${Math.min(recording.end, sel.offset + sel.length)}&format=${f}`} style={{ marginRight: 6 }} data-testid={`export-${f}`}>{f}</a>
            ))}
          </span>
          <span className="small download-buttons" data-testid="neuron-figure">
            figure{' '}
            <button type="button" className="link" onClick={() => { const f = figure(); saveText(f.markup, `${figureName}.svg`, 'image/svg+xml'); }} data-testid="neuron-figure-svg">SVG</button>{' '}
            <button type="button" className="link" onClick={() => { const f = figure(); void saveSvgAsPng(f.markup, f.width, f.height, `${figureName}.png`); }} data-testid="neuron-figure-png">PNG</button>
          </span>
          {searchNote && <span className="small error">{searchNote}</span>}
          {data.loading && <span className="small muted">loading…</span>}
        </div>
      </section>
      <section className="panel">
        {data.error ? (
          <p className="error">{data.error}</p>
        ) : (
          <NeuronText
            start={data.start}
            chars={data.chars}
            sequenceStarts={data.sequenceStarts}
            classes={recording.classes ?? null}
            primary={primary}
            primaryLabel={label(sel.cell)}
            strips={sel.extraCells.filter((c) => c !== sel.cell).map((c) => ({ label: label(c), values: shown(data.values.get(c) ?? []) }))}
            predictions={sel.showPredictions && !recording.noPredictions ? data.predictions : null}
            nextProb={data.nextProb}
            highlight={sel.highlight}
            feature={data.featureValues && sel.feature ? { label: FEATURE_LABELS[sel.feature as keyof typeof FEATURE_LABELS] ?? sel.feature, values: data.featureValues } : null}
            gates={data.gateValues.map(([q, values]) => ({ label: `L${sel.layer} ${q}[${sel.cell}]`, values }))}
            {...(recording.noPredictions ? {} : { saliencyHref: (pos: number) => `/recordings/${recording.id}/saliency?pos=${pos}` })}
            words={recording.unit === 'word'}
            effect={effect.strip}
          />
        )}
      </section>
    </>
  );
}
