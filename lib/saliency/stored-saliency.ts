import type { Db } from '../db/client.ts';
import type { RecordingSummary } from '../db/recordings.ts';
import { saliencyBatch } from '../../models/saliency.ts';
import type { CharModel } from '../../models/char-model.ts';
import { SALIENCY_BURN_IN } from './saliency-burn-in.ts';

/**
 * Saliency stored with a recording on request: for every position p of [start, end) (the
 * recording's `saliency` range) and each of the `window` inputs before the prediction after p,
 * the gradient norm and gradient × input, computed with the true next character as the target;
 * and log p of that character. SaliencyChunk rows hold CHUNK consecutive positions, float32
 * [length][window] with the oldest input first (NaN where a window would reach before the corpus).
 */
export const SALIENCY_CHUNK = 256;
const BATCH = 64;

const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const floatsOf = (b: Uint8Array): Float32Array => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/** Computes and stores the recording's saliency range. Returns false if stopped on request. */
export async function storeRecordingSaliency(
  db: Db,
  rec: RecordingSummary,
  model: CharModel,
  ids: Int32Array,
  opts: { shouldStop?: () => boolean | Promise<boolean>; onProgress?: (done: number, total: number) => Promise<void> | void } = {},
): Promise<boolean> {
  const range = rec.saliency;
  if (!range) return true;
  const W = range.window;
  await clearStoredSaliency(db, rec.id);
  const total = range.end - range.start;
  for (let c0 = range.start, chunk = 0; c0 < range.end; c0 += SALIENCY_CHUNK, chunk++) {
    if (await opts.shouldStop?.()) return false;
    const len = Math.min(SALIENCY_CHUNK, range.end - c0);
    const grad = new Float32Array(len * W).fill(NaN);
    const gxi = new Float32Array(len * W).fill(NaN);
    const logProb = new Float32Array(len);
    const positions = Array.from({ length: len }, (_, k) => c0 + k);
    // Full windows go through in batches; the few near the corpus start, one by one with the
    // inputs that exist, right-aligned in the row.
    const full = positions.filter((p) => p - W + 1 >= 0);
    for (let i = 0; i < full.length; i += BATCH) {
      const batch = full.slice(i, i + BATCH);
      const out = saliencyBatch(model, ids, batch.map((p) => p - W + 1), W, batch.map((p) => ids[p + 1] ?? 0), { burnIn: SALIENCY_BURN_IN });
      batch.forEach((p, b) => {
        grad.set(out.grad.subarray(b * W, (b + 1) * W), (p - c0) * W);
        gxi.set(out.gradXInput.subarray(b * W, (b + 1) * W), (p - c0) * W);
        logProb[p - c0] = out.logProb[b] ?? NaN;
      });
    }
    for (const p of positions.filter((q) => q - W + 1 < 0)) {
      const w = p + 1;
      const out = saliencyBatch(model, ids, [0], w, [ids[p + 1] ?? 0], { burnIn: 0 });
      grad.set(out.grad, (p - c0) * W + (W - w));
      gxi.set(out.gradXInput, (p - c0) * W + (W - w));
      logProb[p - c0] = out.logProb[0] ?? NaN;
    }
    await db.raw.run('INSERT INTO "SaliencyChunk" ("recordingId", "chunk", "start", "length", "grad", "gradXInput", "logProb") VALUES (?, ?, ?, ?, ?, ?, ?)', [
      rec.id, chunk, c0, len, bytesOf(grad), bytesOf(gxi), bytesOf(logProb),
    ]);
    await opts.onProgress?.(c0 + len - range.start, total);
  }
  return true;
}

export async function clearStoredSaliency(db: Db, recordingId: number): Promise<void> {
  await db.raw.run('DELETE FROM "SaliencyChunk" WHERE "recordingId" = ?', [recordingId]);
}

export interface StoredSaliencyRow {
  pos: number;
  /** The `window` inputs before the prediction after pos, oldest first. */
  grad: Float32Array;
  gradXInput: Float32Array;
  logProb: number;
}

/** The stored row of one position, or null when it lies outside the stored range (or none is stored yet). */
export async function readStoredSaliency(db: Db, rec: RecordingSummary, pos: number): Promise<StoredSaliencyRow | null> {
  const range = rec.saliency;
  if (!range || pos < range.start || pos >= range.end) return null;
  const chunk = Math.floor((pos - range.start) / SALIENCY_CHUNK);
  const rows = await db.raw.query<{ start: number; grad: Uint8Array; gradXInput: Uint8Array; logProb: Uint8Array }>(
    'SELECT "start", "grad", "gradXInput", "logProb" FROM "SaliencyChunk" WHERE "recordingId" = ? AND "chunk" = ?',
    [rec.id, chunk],
  );
  const row = rows[0];
  if (!row) return null;
  const W = range.window;
  const k = pos - Number(row.start);
  return { pos, grad: floatsOf(row.grad).subarray(k * W, (k + 1) * W), gradXInput: floatsOf(row.gradXInput).subarray(k * W, (k + 1) * W), logProb: floatsOf(row.logProb)[k] ?? NaN };
}

/** Mean gradient norm and |gradient × input| per distance over every stored position with a full window. */
export async function storedSaliencyDecay(db: Db, rec: RecordingSummary): Promise<{ window: number; samples: number; meanGrad: number[]; meanAbsGradXInput: number[] } | null> {
  const range = rec.saliency;
  if (!range) return null;
  const W = range.window;
  const sumGrad = new Float64Array(W);
  const sumGxi = new Float64Array(W);
  let n = 0;
  const rows = await db.raw.query<{ length: number; grad: Uint8Array; gradXInput: Uint8Array }>(
    'SELECT "length", "grad", "gradXInput" FROM "SaliencyChunk" WHERE "recordingId" = ? ORDER BY "chunk"',
    [rec.id],
  );
  if (rows.length === 0) return null;
  for (const r of rows) {
    const g = floatsOf(r.grad);
    const x = floatsOf(r.gradXInput);
    for (let k = 0; k < Number(r.length); k++) {
      if (Number.isNaN(g[k * W])) continue;
      for (let j = 0; j < W; j++) {
        const d = W - 1 - j;
        sumGrad[d] = (sumGrad[d] ?? 0) + (g[k * W + j] as number);
        sumGxi[d] = (sumGxi[d] ?? 0) + Math.abs(x[k * W + j] as number);
      }
      n++;
    }
  }
  if (n === 0) return null;
  return { window: W, samples: n, meanGrad: Array.from(sumGrad, (v) => v / n), meanAbsGradXInput: Array.from(sumGxi, (v) => v / n) };
}
