import { sequenceAt } from '../corpus/sequences.ts';
import { toFloat16 } from './f16.ts';
import { layerPlans } from './layer-plans.ts';
import { BIDIRECTIONAL_WINDOW, DEFAULT_CHUNK_SIZE } from './quantities.ts';
import type { ChunkRow, RecordOptions, RecordResult } from './recorder.ts';
import { runWholeSequences } from '../../models/whole-sequence.ts';

/**
 * Recording a model with backward layers (bidirectional): its backward directions read each
 * sequence right to left from the sequence's end, so sequences are run whole (models/
 * whole-sequence.ts), a batch of consecutive ones at a time, and their rows written in corpus
 * order into chunks. In a corpus of sequences a sequence is one of its sequences (run whole even
 * where the recorded range cuts it); in a continuous text, windows of BIDIRECTIONAL_WINDOW
 * characters from the range's start, each read on its own. No predictions are stored: a
 * bidirectional model has read the next character already.
 */
export { BIDIRECTIONAL_WINDOW };

/** Most padded rows (longest sequence × sequences) one batch runs. */
const BATCH_ROWS = 16_384;

/** The spans [from, to) of the sequences (or windows) that cover [start, end). */
export function wholeSpans(start: number, end: number, total: number, sequenceStarts: Int32Array | undefined): [number, number][] {
  const spans: [number, number][] = [];
  if (!sequenceStarts) {
    for (let s = start; s < end; s += BIDIRECTIONAL_WINDOW) spans.push([s, Math.min(end, s + BIDIRECTIONAL_WINDOW)]);
    return spans;
  }
  for (let k = sequenceAt(sequenceStarts, start); k < sequenceStarts.length; k++) {
    const from = sequenceStarts[k] as number;
    if (from >= end) break;
    spans.push([from, k + 1 < sequenceStarts.length ? (sequenceStarts[k + 1] as number) : total]);
  }
  return spans;
}

export async function recordWholeSequences(opts: RecordOptions): Promise<RecordResult> {
  const { model, ids, start, end } = opts;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const total = end - start;
  if (!(start >= 0 && end <= ids.length && total > 0)) throw new Error(`bad range [${start}, ${end}) of ${ids.length}`);
  const plan = layerPlans(model, opts.quantities);
  // One chunk's float16 rows per layer and stored quantity, filled in corpus order.
  const buffers = plan.map((p) => p.kept.map(() => new Uint16Array(chunkSize * p.units)));
  const spans = wholeSpans(start, end, ids.length, opts.sequenceStarts);
  const started = performance.now();
  let done = 0;
  let stopped = false;
  let next = 0;
  while (next < spans.length && !stopped) {
    // A batch: consecutive spans while their padded rows stay within BATCH_ROWS.
    const batch: [number, number][] = [];
    let longest = 0;
    while (next < spans.length) {
      const span = spans[next] as [number, number];
      const len = span[1] - span[0];
      if (batch.length > 0 && Math.max(longest, len) * (batch.length + 1) > BATCH_ROWS) break;
      batch.push(span);
      longest = Math.max(longest, len);
      next++;
    }
    const S = batch.length;
    const { quantities } = runWholeSequences(model, batch.map(([a, b]) => ids.subarray(a, b)));
    for (const [b, [from, to]] of batch.entries()) {
      for (let pos = Math.max(from, start); pos < Math.min(to, end); pos++) {
        const rel = pos - start;
        const row = rel % chunkSize;
        const t = pos - from;
        plan.forEach((p, l) => {
          p.kept.forEach((qi, k2) => {
            const values = quantities[l]?.[qi] as Float32Array;
            const dst = buffers[l]?.[k2] as Uint16Array;
            for (let c = 0; c < p.units; c++) dst[row * p.units + c] = toFloat16(values[(t * S + b) * p.units + c] as number);
          });
        });
        done++;
        if (row === chunkSize - 1 || pos === end - 1) {
          await opts.onChunks(chunkRows(Math.floor(rel / chunkSize), start + rel - row, row + 1));
          await opts.onProgress?.(done, total);
          await new Promise((r) => setImmediate(r));
          if (opts.shouldStop && (await opts.shouldStop())) {
            stopped = true;
            break;
          }
        }
      }
      if (stopped) break;
    }
  }
  return { timesteps: done, stopped, charsPerSec: done / ((performance.now() - started) / 1000) };

  /** The rows of chunk `chunk` (starting at corpus position `at`, `length` steps filled), every layer and stored quantity. */
  function chunkRows(chunk: number, at: number, length: number): ChunkRow[] {
    return plan.flatMap((p, l) => p.kept.map((qi, k2) => {
      const data = (buffers[l]?.[k2] as Uint16Array).slice(0, length * p.units);
      return { layer: l, quantity: p.quantities[qi] as string, chunk, start: at, length, data: new Uint8Array(data.buffer) };
    }));
  }
}
