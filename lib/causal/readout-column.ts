import type { Db } from '../db/client.ts';
import { getRecording } from '../db/recordings.ts';
import { saliencySourceOfRecording } from '../saliency/saliency-source.ts';

/**
 * A top-layer cell's direct effect on the output (issue 13): its weights in the read-out,
 * logits = h W_out + b, i.e. row i of W_out [H, V]: the tokens it pushes up when it is positive
 * (and down when negative), the largest first. Null when the cell is not the top layer's h, or
 * the model has no read-out over tokens (a bidirectional encoder, a classifier's classes are
 * read the same way and kept).
 */
export interface ReadoutColumn {
  up: { token: string; weight: number }[];
  down: { token: string; weight: number }[];
}

export async function readoutColumn(db: Db, recordingId: number, q: { layer: number; quantity: string; cell: number }, count = 10): Promise<ReadoutColumn | null> {
  const rec = await getRecording(db, recordingId);
  if (rec.origin === 'lstmvis' || !rec.predictions || q.quantity !== 'h' || q.layer !== rec.stack.length - 1) return null;
  const source = await saliencySourceOfRecording(db, recordingId);
  const kernel = source.model.outKernel;
  if (!kernel) return null;
  const [H, V] = kernel.shape as [number, number];
  if (q.cell < 0 || q.cell >= H) return null;
  const w = (kernel.dataSync() as Float32Array).subarray(q.cell * V, (q.cell + 1) * V);
  const names = source.classes ?? source.vocab.chars;
  const order = Array.from({ length: V }, (_, k) => k).sort((a, b) => (w[b] as number) - (w[a] as number));
  const entry = (k: number): { token: string; weight: number } => ({ token: names[k] ?? '\uFFFD', weight: w[k] as number });
  return { up: order.slice(0, count).map(entry), down: order.slice(-count).reverse().map(entry) };
}
