import type { Db } from '../db/client.ts';
import { getRecording } from '../db/recordings.ts';
import { ConflictError } from '../errors.ts';
import { isGate } from '../../models/architectures.ts';
import { loadSaturation, type SaturationPoint } from './neuron-stats-store.ts';

export interface GateSaturation {
  layers: number;
  /** Every gate some layer records (each layer's own: the recording's stack). */
  gates: string[];
  points: SaturationPoint[];
}

/**
 * Karpathy et al.'s gate saturation plot data: for every gate unit of every layer, the fraction
 * of steps it is left-saturated (< 0.1) and right-saturated (> 0.9).
 */
export async function gateSaturation(db: Db, recordingId: number): Promise<GateSaturation> {
  const rec = await getRecording(db, recordingId);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${rec.id} is ${rec.status}: the gate plot needs a completed recording`);
  const gates = [...new Set(rec.stack.flatMap((l) => l.quantities.filter(isGate)))];
  const points = await loadSaturation(db, rec, gates);
  if (gates.length > 0 && points.length === 0) throw new ConflictError(`recording ${rec.id} has no neuron statistics (it was recorded before they existed): rebuild them with cellscope reindex --recording ${rec.id}`);
  return { layers: rec.layers, gates, points };
}
