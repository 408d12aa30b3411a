/**
 * The hidden-state plot's data (LSTMVis): one line per cell across the window's characters, the
 * selected cells drawn over the others, and per character how many selected cells are on
 * (≥ threshold), which shades the text under the axis.
 */
export interface PlotInput {
  /** values[cell][t] for t in the window. */
  values: number[][];
  selected: readonly number[];
  threshold: number;
}

export interface PlotLine {
  cell: number;
  points: [number, number][];
  selected: boolean;
}

export interface PlotData {
  lines: PlotLine[];
  /** Per character: selected cells on there. */
  onCounts: number[];
  yMin: number;
  yMax: number;
}

export function wranglePlot({ values, selected, threshold }: PlotInput): PlotData {
  const chosen = new Set(selected);
  const len = values[0]?.length ?? 0;
  const onCounts = Array.from({ length: len }, (_, t) => selected.reduce((n, c) => n + ((values[c]?.[t] ?? -Infinity) >= threshold ? 1 : 0), 0));
  let yMin = -1;
  let yMax = 1;
  for (const row of values) for (const v of row) {
    if (v < yMin) yMin = v;
    if (v > yMax) yMax = v;
  }
  const lines = values.map((row, cell) => ({ cell, points: row.map((v, t) => [t, v] as [number, number]), selected: chosen.has(cell) }));
  // Selected lines last, so they are drawn on top.
  lines.sort((a, b) => Number(a.selected) - Number(b.selected));
  return { lines, onCounts, yMin, yMax };
}
