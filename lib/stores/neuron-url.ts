import { FEATURES } from '../corpus/feature-tracks.ts';
import { defaultSelection, type NeuronSelection } from './neuron-view-store.ts';

/** One recorded layer as the views see it (lib/record/recorded-layers.ts). */
export interface LayerBounds {
  /** The layer's label ("0", "1"). */
  name: string;
  kind: string;
  units: number;
  /** backward: it read the text right to left (a bidirectional layer's second direction). */
  direction?: 'forward' | 'backward';
  /** What the layer records; the first is the default. */
  quantities: readonly string[];
}

export interface RecordingBounds {
  start: number;
  end: number;
  /** The recorded layers, bottom first: each its own cells and quantities. */
  stack: readonly LayerBounds[];
}

/** The layer at `layer`, or the bottom one (the views clamp rather than fail). */
export function layerBounds(rec: RecordingBounds, layer: number): LayerBounds {
  return rec.stack[layer] ?? rec.stack[0] ?? { name: '0', kind: '', units: 1, quantities: ['h'] };
}

const WINDOW_LENGTHS = [250, 500, 1000, 2000, 5000];

function intIn(raw: string | null | undefined, min: number, max: number, fallback: number): number {
  if (raw === null || raw === undefined || !/^\d+$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= min && n <= max ? n : fallback;
}

/**
 * The view's state from URL parameters (layer, q, cell, cells, offset, len, preds), clamped to
 * the recording and its layer (layers may differ in cells and quantities); anything malformed
 * falls back to the default rather than breaking the page.
 */
export function selectionFromParams(params: URLSearchParams, rec: RecordingBounds): NeuronSelection {
  const q = params.get('q');
  const cells = (params.get('cells') ?? '')
    .split(',')
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
  const layerIndex = intIn(params.get('layer'), 0, rec.stack.length - 1, 0);
  const layer = layerBounds(rec, layerIndex);
  const length = intIn(params.get('len'), 1, 5000, defaultSelection.length);
  const feature = params.get('feature');
  const regex = (params.get('regex') ?? '').slice(0, 500);
  return {
    layer: layerIndex,
    quantity: q !== null && layer.quantities.includes(q) ? q : (layer.quantities[0] ?? defaultSelection.quantity),
    cell: intIn(params.get('cell'), 0, layer.units - 1, 0),
    extraCells: [...new Set(cells.filter((c) => c < layer.units))].slice(0, 12),
    offset: intIn(params.get('offset'), rec.start, Math.max(rec.start, rec.end - 1), rec.start),
    length: WINDOW_LENGTHS.includes(length) ? length : defaultSelection.length,
    showPredictions: params.get('preds') !== '0',
    highlight: null,
    feature: feature !== null && (FEATURES as readonly string[]).includes(feature) && (feature !== 'regex' || regex !== '') ? feature : null,
    regex: feature === 'regex' ? regex : '',
    gates: params.get('gates') === '1',
    tanh: params.get('tanh') === '1',
    intervene: interventionParam(params.get('intervene')),
  };
}

/** An intervention the neuron view can draw (zero, mean, value:V, scale:F), or null. */
export function interventionParam(raw: string | null): string | null {
  return raw !== null && /^(zero|mean|(value|scale):-?\d+(\.\d+)?(e[-+]?\d+)?)$/.test(raw) ? raw : null;
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
  if (s.tanh) p.set('tanh', '1');
  if (s.intervene) p.set('intervene', s.intervene);
  return p;
}

export { WINDOW_LENGTHS };

/**
 * The selection fields that change with a move to another layer: its quantity kept when that
 * layer records it (else its first), the cells clamped to its size.
 */
export function selectionOnLayer(rec: RecordingBounds, layer: number, sel: { quantity: string; cell: number; extraCells: readonly number[] }): { layer: number; quantity: string; cell: number; extraCells: number[] } {
  const to = layerBounds(rec, layer);
  return {
    layer,
    quantity: to.quantities.includes(sel.quantity) ? sel.quantity : (to.quantities[0] ?? sel.quantity),
    cell: Math.min(sel.cell, to.units - 1),
    extraCells: sel.extraCells.filter((c) => c < to.units),
  };
}
