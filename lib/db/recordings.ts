import type { Db } from './client.ts';
import { ownershipSelect, toOwnership, type Ownership, type VisibleWhere } from './ownership.ts';
import { NotFoundError } from '../errors.ts';
import { recordedLayers, recordsPredictions, type RecordedLayer } from '../record/recorded-layers.ts';

export interface RecordingSummary extends Ownership {
  id: number;
  runId: number;
  checkpointId: number;
  checkpointStep: number;
  corpusId: number;
  corpusName: string;
  start: number;
  end: number;
  /** Every quantity name some layer records (models/architectures.ts); per layer: `stack`. */
  quantities: string[];
  layers: number;
  /** Units of the widest layer; per layer: `stack`. */
  hidden: number;
  /** The recorded layers, bottom first, each its kind, units and quantities. */
  stack: RecordedLayer[];
  /** Whether it holds predictions: not an LSTMVis import's, nor a bidirectional model's. */
  predictions: boolean;
  chunkSize: number;
  codec: string;
  status: string;
  /** Saliency stored with the recording (lib/saliency/stored-saliency.ts), or null. */
  saliency: { start: number; end: number; window: number } | null;
  /** null: recorded here; 'lstmvis': states imported from an LSTMVis project (no predictions, no model). */
  origin: 'lstmvis' | null;
  /** What a position is in the recorded corpus. */
  unit: 'char' | 'word';
  createdAt: Date;
}

const include = { checkpoint: { select: { step: true } }, run: { select: { arch: true } }, corpus: { select: { name: true, unit: true } }, owner: ownershipSelect.owner } as const;

type Row = {
  id: number; runId: number; checkpointId: number; corpusId: number; start: number; end: number; quantities: string;
  layers: number; hidden: number; stack: string | null; chunkSize: number; codec: string; status: string; createdAt: Date;
  saliencyStart: number | null; saliencyEnd: number | null; saliencyWindow: number | null; origin: string | null;
  checkpoint: { step: number }; run: { arch: string }; corpus: { name: string; unit: string }; visibility: string; owner: { id: number; email: string } | null;
};

function toSummary(r: Row): RecordingSummary {
  const quantities = JSON.parse(r.quantities) as string[];
  const stack = recordedLayers({ layers: r.layers, hidden: r.hidden, quantities, stack: r.stack, kind: r.origin === 'lstmvis' ? 'lstmvis' : r.run.arch });
  return {
    ...toOwnership(r),
    id: r.id, runId: r.runId, checkpointId: r.checkpointId, checkpointStep: r.checkpoint.step, corpusId: r.corpusId,
    corpusName: r.corpus.name, start: r.start, end: r.end, quantities,
    layers: r.layers, hidden: r.hidden, stack, predictions: r.origin !== 'lstmvis' && recordsPredictions(stack), chunkSize: r.chunkSize, codec: r.codec, status: r.status, createdAt: r.createdAt,
    origin: r.origin === 'lstmvis' ? 'lstmvis' : null,
    unit: r.corpus.unit === 'word' ? 'word' : 'char',
    saliency: r.saliencyStart !== null && r.saliencyEnd !== null && r.saliencyWindow !== null ? { start: r.saliencyStart, end: r.saliencyEnd, window: r.saliencyWindow } : null,
  };
}

export async function getRecording(db: Db, id: number): Promise<RecordingSummary> {
  const row = await db.prisma.recording.findUnique({ where: { id }, include });
  if (!row) throw new NotFoundError('recording', id);
  return toSummary(row);
}

/** Recordings (of one run, or all) that `visible` lets through (lib/auth/access.ts visibleWhere), newest first. */
export async function listRecordings(db: Db, where: { runId?: number } = {}, visible: VisibleWhere = {}): Promise<RecordingSummary[]> {
  return (await db.prisma.recording.findMany({ where: { ...where, ...visible }, include, orderBy: { id: 'desc' } })).map(toSummary);
}
