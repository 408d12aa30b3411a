import { FEATURES } from '../corpus/feature-tracks.ts';
import { defaultSelection, type NeuronSelection } from './neuron-view-store.ts';

export interface RecordingBounds {
  start: number;
  end: number;
  layers: number;
  hidden: number;
  /** The recording's quantity names; the first is the default. */
  quantities: readonly string[];
}

const WINDOW_LENGTHS = [250, 500, 1000, 2000, 5000];

function intIn(raw: string | null | undefined, min: number, max: number, fallback: number): number {
  if (raw === null || raw === undefined || !/^\d+$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= min && n <= max ? n : fallback;
}

/**
 * The view's state from URL parameters (layer, q, cell, cells, offset, len, preds), clamped to
 * the recording; anything malformed falls back to the default rather than breaking the page.
 */
export function selectionFromParams(params: URLSearchParams, rec: RecordingBounds): NeuronSelection {
  const q = params.get('q');
  const cells = (params.get('cells') ?? '')
    .split(',')
    .filter((s) => /^\d+$/.test(s))
    .map(Number)
    .filter((c) => c < rec.hidden);
  const length = intIn(params.get('len'), 1, 5000, defaultSelection.length);
  const feature = params.get('feature');
  const regex = (params.get('regex') ?? '').slice(0, 500);
  return {
    layer: intIn(params.get('layer'), 0, rec.layers - 1, 0),
    quantity: q !== null && rec.quantities.includes(q) ? q : (rec.quantities[0] ?? defaultSelection.quantity),
    cell: intIn(params.get('cell'), 0, rec.hidden - 1, 0),
    extraCells: [...new Set(cells)].slice(0, 12),
    offset: intIn(params.get('offset'), rec.start, Math.max(rec.start, rec.end - 1), rec.start),
    length: WINDOW_LENGTHS.includes(length) ? length : defaultSelection.length,
    showPredictions: params.get('preds') !== '0',
    highlight: null,
    feature: feature !== null && (FEATURES as readonly string[]).includes(feature) && (feature !== 'regex' || regex !== '') ? feature : null,
    regex: feature === 'regex' ? regex : '',
    gates: params.get('gates') === '1',
  };
}

export function paramsFromSelection(s: NeuronSelection): URLSearchParams {
  const p = new URLSearchParams();
  p.set('layer', String(s.layer));
  p.set('q', s.quantity);
  p.set('cell', String(s.cell));
  if (s.extraCells.length) p.set('cells', s.extraCells.join(','));
  p.set('offset', String(s.offset));
  p.set('len', String(s.length));
  if (!s.showPredictions) p.set('preds', '0');
  if (s.feature) p.set('feature', s.feature);
  if (s.feature === 'regex' && s.regex) p.set('regex', s.regex);
  if (s.gates) p.set('gates', '1');
  return p;
}

export { WINDOW_LENGTHS };
