import { BadRequestError } from '../errors.ts';
import { layerName } from '../../models/architectures.ts';

/**
 * The layers of a recording, bottom first (issue 12: a model is a list of layers). Each has its
 * own cell kind, its own number of cells and the quantities its cell records (an LSTM's c h i f o
 * g, a GRU's h z r n): what every view, index, export and check reads per layer. Plain data, for
 * the server and the pages alike.
 */
export interface RecordedLayer {
  /** 0-based, in model order: what the CLI, the API and URLs call the layer. */
  index: number;
  /** How the views label it ("0", "1"; with backward layers "0→", "0←"). */
  name: string;
  /** backward: it read the text right to left (one direction of a bidirectional layer). */
  direction: 'forward' | 'backward';
  /** The cell kind (lstm, gru, rnn, ...; lstmvis for states imported without a model). */
  kind: string;
  units: number;
  quantities: string[];
}

/** What a Recording row keeps of its layers (the `stack` column; null before layers could differ). */
export interface RecordingRowLayers {
  layers: number;
  hidden: number;
  /** The quantities column, parsed. */
  quantities: string[];
  stack: string | null;
  /** The run's cell kind, for rows recorded before `stack`. */
  kind: string;
}

/** The layers of a recording row: its own `stack`, or (older rows) `layers` alike ones. */
export function recordedLayers(row: RecordingRowLayers): RecordedLayer[] {
  if (row.stack === null) {
    return Array.from({ length: row.layers }, (_, index) => ({ index, name: String(index), direction: 'forward' as const, kind: row.kind, units: row.hidden, quantities: [...row.quantities] }));
  }
  const parsed = JSON.parse(row.stack) as { kind: string; units: number; quantities: string[]; direction?: 'backward' }[];
  return parsed.map((l, index) => ({ index, name: layerName(parsed, index), direction: l.direction ?? 'forward', kind: l.kind, units: l.units, quantities: [...l.quantities] }));
}

/** The `stack` column for layers about to be recorded. */
export function encodeStack(layers: readonly { kind: string; units: number; quantities: readonly string[]; direction?: 'forward' | 'backward' | undefined }[]): string {
  return JSON.stringify(layers.map((l) => ({ kind: l.kind, units: l.units, quantities: [...l.quantities], ...(l.direction === 'backward' ? { direction: 'backward' } : {}) })));
}

/** True when the recording holds next-token predictions: none for a bidirectional model's. */
export function recordsPredictions(stack: readonly { direction: 'forward' | 'backward' }[]): boolean {
  return !stack.some((l) => l.direction === 'backward');
}

/** Every quantity some layer records, in first-recorded order (the `quantities` column). */
export function allQuantities(layers: readonly { quantities: readonly string[] }[]): string[] {
  return [...new Set(layers.flatMap((l) => l.quantities))];
}

/** One layer, or a 400 naming the layers there are. */
export function recordedLayer(rec: { stack: readonly RecordedLayer[] }, layer: number, field = 'layer'): RecordedLayer {
  const found = Number.isInteger(layer) ? rec.stack[layer] : undefined;
  if (!found) throw new BadRequestError(`layer ${layer} does not exist: the recording has layer${rec.stack.length > 1 ? `s 0-${rec.stack.length - 1}` : ' 0'}`, field);
  return found;
}

/** A layer's quantity, or a 400 naming what that layer records. */
export function requireLayerQuantity(layer: RecordedLayer, quantity: string, field = 'quantity'): void {
  if (!layer.quantities.includes(quantity)) {
    throw new BadRequestError(`quantity must be one of ${layer.quantities.join(', ')} for layer ${layer.name} of this recording, got ${JSON.stringify(quantity)}`, field);
  }
}

/** Cells of a layer, or a 400 naming the first that does not exist. */
export function requireLayerCells(layer: RecordedLayer, cells: readonly number[], field = 'cells'): void {
  const bad = cells.find((c) => !Number.isInteger(c) || c < 0 || c >= layer.units);
  if (bad !== undefined) throw new BadRequestError(`cell ${bad} does not exist: layer ${layer.name} has cells 0-${layer.units - 1}`, field);
}

/** "2 layers × 128 cells" or "LSTM 24 cells → GRU 16 cells" for headers. */
export function describeRecordedLayers(stack: readonly RecordedLayer[]): string {
  const first = stack[0];
  if (!first) return 'no layers';
  if (stack.every((l) => l.units === first.units && l.kind === first.kind)) return `${stack.length} layer${stack.length > 1 ? 's' : ''} × ${first.units} cells`;
  return stack.map((l) => `${l.kind.toUpperCase()} ${l.units}`).join(' → ') + ' cells';
}

/** A layer picker's option: its name, with kind and size when the layers differ ("1 · GRU(16)"). */
export function layerOptionLabel(layer: { name: string; kind: string; units: number }, stack: readonly { kind: string; units: number }[]): string {
  const first = stack[0];
  const alike = stack.every((l) => l.kind === first?.kind && l.units === first?.units);
  return alike ? layer.name : `${layer.name} · ${layer.kind.toUpperCase()}(${layer.units})`;
}

/** A layer in headers and captions: "1 (GRU, 16 cells)", "0← (LSTM, 8 cells, read right to left)". */
export function layerCaption(layer: { name: string; kind: string; units: number; direction: 'forward' | 'backward' }): string {
  return `${layer.name} (${layer.kind.toUpperCase()}, ${layer.units} cells${layer.direction === 'backward' ? ', read right to left' : ''})`;
}
