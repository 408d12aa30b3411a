import { ARCHITECTURE_SHORT, type Architecture } from '../../models/architectures.ts';

export interface MemoryCellInput {
  arch: string;
  gap: number;
  accuracy?: number | null;
}

export interface MemorySeries {
  arch: string;
  label: string;
  /** [gap, accuracy] for the cells measured so far, by gap. */
  points: [number, number][];
}

export interface MemoryChartData {
  series: MemorySeries[];
  gaps: number[];
}

/** Lab cells -> one accuracy-against-gap line per architecture (unmeasured cells left out). */
export function wrangleMemory(cells: readonly MemoryCellInput[], archs: readonly string[]): MemoryChartData {
  const gaps = [...new Set(cells.map((c) => c.gap))].sort((a, b) => a - b);
  const series = archs.map((arch) => ({
    arch,
    label: ARCHITECTURE_SHORT[arch as Architecture] ?? arch,
    points: cells
      .filter((c) => c.arch === arch && typeof c.accuracy === 'number' && Number.isFinite(c.accuracy))
      .map((c) => [c.gap, c.accuracy as number] as [number, number])
      .sort((a, b) => a[0] - b[0]),
  }));
  return { series, gaps };
}
