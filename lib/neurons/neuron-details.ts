import type { Db } from '../db/client.ts';
import { getRecording } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { recordingText } from '../record/recording-reads.ts';
import { readStateWindow } from '../record/window.ts';
import { recordedLayer, requireLayerCells, requireLayerQuantity } from '../record/recorded-layers.ts';
import type { CellStat } from './cell-stats.ts';
import { loadCellStat } from './neuron-stats-store.ts';

/** Characters shown before and after each example's strongest position. */
export const EXAMPLE_BEFORE = 48;
export const EXAMPLE_AFTER = 12;

export interface NeuronExample {
  /** The strongest position and its value. */
  pos: number;
  value: number;
  /** The text around it and the cell's value at each of its characters. */
  start: number;
  chars: string[];
  values: number[];
}

export interface NeuronDetails extends Omit<CellStat, 'top' | 'bottom'> {
  layer: number;
  quantity: string;
  top: NeuronExample[];
  bottom: NeuronExample[];
}

/**
 * A neuron page's contents: the cell's statistics stored with the recording, and its top and
 * most negative examples with their text and the cell's values around them.
 */
export async function neuronDetails(db: Db, recordingId: number, q: { layer: number; quantity: string; cell: number }): Promise<NeuronDetails> {
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: neuron pages need a completed recording`);
  const layer = recordedLayer(rec, q.layer);
  requireLayerQuantity(layer, q.quantity);
  requireLayerCells(layer, [q.cell], 'cell');
  const stat = await loadCellStat(db, rec, q.layer, q.quantity, q.cell);
  const example = async (e: { pos: number; value: number }): Promise<NeuronExample> => {
    const text = await recordingText(db, rec, e.pos - EXAMPLE_BEFORE, e.pos + EXAMPLE_AFTER + 1);
    const w = await readStateWindow(db.raw, rec, q.layer, q.quantity, text.start, text.end, [q.cell]);
    return { ...e, start: text.start, chars: text.chars, values: Array.from(w.values, (v) => Number(v.toPrecision(4))) };
  };
  const { top, bottom, ...rest } = stat;
  return { ...rest, layer: q.layer, quantity: q.quantity, top: await Promise.all(top.map(example)), bottom: await Promise.all(bottom.map(example)) };
}
