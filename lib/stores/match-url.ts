/**
 * The select & match page's whole state in its URL (layer, q, t, s, e, from, ob, oa, cells):
 * parsed with clamping to the recording, so a shared link reproduces the view and a malformed
 * parameter falls back to its default instead of breaking the page.
 */
export interface MatchViewState {
  layer: number;
  quantity: 'h' | 'c';
  /** Threshold: one of the indexed levels 0.1 ... 0.9. */
  threshold: number;
  /** The brushed range [start, end), corpus offsets; null before the first brush. */
  start: number | null;
  end: number | null;
  /** First character of the plotted window. */
  from: number;
  offBefore: boolean;
  offAfter: boolean;
  /** Cells added or removed by hand, replacing the selection's when set. */
  cells: number[] | null;
  /** Match only ranges as long as the selection. */
  sameLength: boolean;
  /** Shortest and longest match lengths wanted (none: 2 and any). */
  minLength: number | null;
  maxLength: number | null;
  /** threshold (LSTMVis) or soft (cosine of the cells' values). */
  mode: 'threshold' | 'soft';
}

export interface MatchRecordingBounds {
  start: number;
  end: number;
  /** The recorded layers, bottom first: each its own cells and quantities. */
  stack: readonly { name?: string; kind?: string; units: number; quantities: readonly string[] }[];
}

export const PLOT_WINDOW = 80;
export const THRESHOLD_LEVELS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

function intIn(raw: string | null, min: number, max: number): number | null {
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

export function matchStateFromParams(p: URLSearchParams, rec: MatchRecordingBounds): MatchViewState {
  const q = p.get('q');
  const layer = intIn(p.get('layer'), 0, rec.stack.length - 1) ?? 0;
  const bounds = rec.stack[layer] ?? { units: 0, quantities: [] };
  const quantity = (q === 'h' || q === 'c') && bounds.quantities.includes(q) ? q : 'h';
  const t = Number(p.get('t'));
  const threshold = (THRESHOLD_LEVELS as readonly number[]).includes(t) ? t : 0.3;
  let start = intIn(p.get('s'), rec.start, rec.end - 1);
  let end = intIn(p.get('e'), rec.start + 1, rec.end);
  if (start === null || end === null || end <= start) [start, end] = [null, null];
  const lastFrom = Math.max(rec.start, rec.end - PLOT_WINDOW);
  const from = intIn(p.get('from'), rec.start, lastFrom) ?? (start !== null ? Math.min(lastFrom, Math.max(rec.start, start - 10)) : rec.start);
  const cellsRaw = p.get('cells');
  const cells = cellsRaw === null ? null : [...new Set(cellsRaw.split(',').filter((x) => /^\d+$/.test(x)).map(Number).filter((c) => c < bounds.units))];
  return {
    layer,
    quantity,
    threshold,
    start,
    end,
    from,
    offBefore: p.get('ob') !== '0',
    offAfter: p.get('oa') === '1',
    cells,
    sameLength: p.get('same') === '1',
    minLength: intIn(p.get('lmin'), 1, 1_000_000),
    maxLength: intIn(p.get('lmax'), 1, 1_000_000),
    mode: p.get('mode') === 'soft' ? 'soft' : 'threshold',
  };
}

export function paramsFromMatchState(s: MatchViewState): URLSearchParams {
  const p = new URLSearchParams({ layer: String(s.layer), q: s.quantity, t: String(s.threshold), from: String(s.from) });
  if (s.start !== null && s.end !== null) {
    p.set('s', String(s.start));
    p.set('e', String(s.end));
  }
  if (!s.offBefore) p.set('ob', '0');
  if (s.offAfter) p.set('oa', '1');
  if (s.cells) p.set('cells', s.cells.join(','));
  if (s.sameLength) p.set('same', '1');
  if (s.minLength !== null) p.set('lmin', String(s.minLength));
  if (s.maxLength !== null) p.set('lmax', String(s.maxLength));
  if (s.mode === 'soft') p.set('mode', 'soft');
  return p;
}
