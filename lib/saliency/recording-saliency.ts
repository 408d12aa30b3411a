import type { Db } from '../db/client.ts';
import { getRecording } from '../db/recordings.ts';
import { DEFAULT_SALIENCY_WINDOW } from './saliency-limits.ts';
import { saliencySourceOfRecording } from './saliency-source.ts';
import { cachedSaliencyDecay, saliencyAt, type SaliencyAt, type SaliencyDecay } from './saliency.ts';
import { readStoredSaliency, storedSaliencyDecay } from './stored-saliency.ts';

/**
 * Saliency questions about a recording (the HTTP endpoints): answered from the saliency stored
 * with it when the question lies inside (true next character, window no longer than stored),
 * else computed on the spot. `stored` says which.
 */
export async function recordingSaliencyAt(db: Db, recordingId: number, q: { pos: number; window?: number; target?: string }): Promise<SaliencyAt & { stored: boolean }> {
  const rec = await getRecording(db, recordingId);
  const src = await saliencySourceOfRecording(db, recordingId);
  const window = q.window ?? DEFAULT_SALIENCY_WINDOW;
  if (q.target === undefined && rec.saliency && window <= rec.saliency.window && Number.isInteger(q.pos)) {
    const row = await readStoredSaliency(db, rec, q.pos);
    if (row) {
      const W = Math.min(window, q.pos + 1);
      const from = rec.saliency.window - W;
      const next = src.ids[q.pos + 1] ?? 0;
      return {
        pos: q.pos,
        window: W,
        target: src.vocab.chars[next] ?? '',
        targetIsNext: true,
        targetProb: Math.exp(row.logProb),
        checkpointId: src.checkpointId,
        step: src.step,
        inputs: Array.from({ length: W }, (_, k) => {
          const p = q.pos - W + 1 + k;
          return { pos: p, char: src.vocab.chars[src.ids[p] ?? 0] ?? '', grad: row.grad[from + k] ?? 0, gradXInput: row.gradXInput[from + k] ?? 0 };
        }),
        stored: true,
      };
    }
  }
  return { ...saliencyAt(src, q), stored: false };
}

/** The decay profile: over every stored position when the recording has them, else over sampled positions. */
export async function recordingSaliencyDecay(db: Db, recordingId: number, q: { window?: number; samples?: number }): Promise<SaliencyDecay & { stored: boolean }> {
  const rec = await getRecording(db, recordingId);
  const src = await saliencySourceOfRecording(db, recordingId);
  const window = q.window ?? DEFAULT_SALIENCY_WINDOW;
  if (q.samples === undefined && rec.saliency && window <= rec.saliency.window) {
    const d = await storedSaliencyDecay(db, rec);
    if (d) return { window, samples: d.samples, meanGrad: d.meanGrad.slice(0, window), meanAbsGradXInput: d.meanAbsGradXInput.slice(0, window), checkpointId: src.checkpointId, step: src.step, stored: true };
  }
  return { ...cachedSaliencyDecay(src, q), stored: false };
}
