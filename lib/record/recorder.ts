import { tf } from '../tf/backend.ts';
import { disposeStates, oneHotRows, outputLogits, stackStep, zeroStates, type CharModel } from '../../models/char-model.ts';
import { keepState, type CellState } from '../../models/cell-spec.ts';
import { encodeF16, toFloat16 } from './f16.ts';
import { DEFAULT_CHUNK_SIZE, PREDICTION_LAYER, TOP_K } from './quantities.ts';

export interface ChunkRow {
  layer: number;
  quantity: string;
  chunk: number;
  /** Absolute corpus position of the chunk's first timestep. */
  start: number;
  length: number;
  data: Uint8Array;
}

export interface RecordOptions {
  model: CharModel;
  /** Token ids of the whole corpus (burn-in may read before `start`). */
  ids: Int32Array;
  start: number;
  end: number;
  /** Parallel streams (default 64, fewer for big models to bound memory). */
  streams?: number;
  /**
   * Characters each stream reads before its segment (not recorded), so that states at segment
   * boundaries are warm rather than starting from zero. 0 gives states that equal one sequential
   * pass from zero at each segment start.
   */
  burnIn?: number;
  chunkSize?: number;
  /** Receives complete chunks, in order of chunk index per stream. */
  onChunks: (rows: ChunkRow[]) => Promise<void>;
  onProgress?: (done: number, total: number) => void | Promise<void>;
  shouldStop?: () => boolean | Promise<boolean>;
  /**
   * Sees each step's float32 values before float16 encoding: `positions[b]` is stream b's corpus
   * position (-1 during burn-in or past its segment), `values` is [stream][layer][quantity][cell]
   * in the cell's `quantities` order. For tests and diagnostics.
   */
  onStepValues?: (positions: Int32Array, values: Float32Array) => void;
}

export interface RecordResult {
  timesteps: number;
  stopped: boolean;
  /** Characters recorded per second, wall time including encoding and the chunk writes. */
  charsPerSec: number;
}

/** The stream layout: segment length is a whole number of chunks so chunks never straddle streams. */
export function planStreams(total: number, streams: number, chunkSize: number): { segment: number; count: number } {
  const segment = Math.max(chunkSize, Math.ceil(Math.ceil(total / streams) / chunkSize) * chunkSize);
  return { segment, count: Math.max(1, Math.ceil(total / segment)) };
}

/**
 * Runs `model` over ids[start, end) as parallel streams and emits every layer's c, h, i, f, o, g
 * and the top-5 / true-next predictions, as float16 chunks (lib/record/quantities.ts).
 */
export async function recordStates(opts: RecordOptions): Promise<RecordResult> {
  const { model, ids, start, end } = opts;
  const { layers, hidden, vocabSize } = model.shape;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const burnIn = opts.burnIn ?? 0;
  const total = end - start;
  if (!(start >= 0 && end <= ids.length && total > 0)) throw new Error(`bad range [${start}, ${end}) of ${ids.length}`);
  // Staging is streams x chunk x hidden x 6 x layers float16: keep it under ~192 MiB.
  const budget = Math.floor((192 * 1024 * 1024) / (chunkSize * hidden * 6 * layers * 2));
  const wanted = Math.max(1, Math.min(opts.streams ?? 64, budget));
  const { segment, count: S } = planStreams(total, wanted, chunkSize);
  const segStart = (b: number): number => start + b * segment;
  const segEnd = (b: number): number => Math.min(end, start + (b + 1) * segment);
  // Stream b starts reading at readStart[b] = segStart - burn_b; steps before pad_b are padding.
  const burn = Array.from({ length: S }, (_, b) => Math.min(burnIn, segStart(b)));
  const pad = burn.map((x) => burnIn - x);
  const steps = burnIn + segment;
  const quantities = model.cell.quantities;
  const Q = quantities.length;
  const width = layers * Q * hidden;
  const staging = Array.from({ length: layers * Q }, () => new Uint16Array(S * chunkSize * hidden));
  const topIndex = new Uint16Array(S * chunkSize * TOP_K);
  const topProb = new Uint16Array(S * chunkSize * TOP_K);
  const nextProb = new Uint16Array(S * chunkSize);
  const started = performance.now();
  let states: CellState[] = zeroStates(model, S);
  let done = 0;
  let stopped = false;

  try {
    for (let k = 0; k < steps; k++) {
      // Streams whose real text starts now begin from a zero state.
      const resetNow = pad.some((p) => p === k && p > 0);
      const input = new Int32Array(S);
      const next = new Int32Array(S);
      const nextValid = new Uint8Array(S);
      for (let b = 0; b < S; b++) {
        const pos = segStart(b) - burnIn + k;
        const inRange = pos >= 0 && pos < segEnd(b);
        input[b] = inRange ? (ids[pos] ?? 0) : 0;
        nextValid[b] = inRange && pos + 1 < ids.length ? 1 : 0;
        next[b] = nextValid[b] ? (ids[pos + 1] ?? 0) : 0;
      }
      const prev = states;
      // Results leave tf.tidy through these variables, not its return value: tidy walks a
      // returned container element by element, which for typed arrays cost ~90% of the time.
      const out: { states: CellState[]; values: Float32Array; topValues: Float32Array; topIndices: Int32Array; truth: Float32Array } = {
        states: prev, values: new Float32Array(0), topValues: new Float32Array(0), topIndices: new Int32Array(0), truth: new Float32Array(0),
      };
      tf.tidy(() => {
        let s = prev;
        if (resetNow) {
          const mask = tf.tensor2d(pad.map((p) => (p === k ? 0 : 1)), [S, 1]);
          s = s.map((st) => Object.fromEntries(Object.entries(st).map(([name, t]) => [name, tf.mul(t, mask) as tf.Tensor2D])));
        }
        const step = stackStep(model, oneHotRows(input, vocabSize), s);
        const parts: tf.Tensor2D[] = [];
        for (let l = 0; l < layers; l++) {
          const byName = step.quantities[l];
          for (const q of quantities) {
            const t = byName?.[q];
            if (!t) throw new Error(`layer ${l} did not produce ${q}`);
            parts.push(t);
          }
        }
        const probs = tf.softmax(outputLogits(model, step.top));
        const top = tf.topk(probs, Math.min(TOP_K, vocabSize));
        const truth = tf.sum(tf.mul(probs, tf.oneHot(tf.tensor1d(next, 'int32'), vocabSize)), 1);
        out.states = step.states.map(keepState);
        out.values = tf.concat(parts, 1).dataSync() as Float32Array;
        out.topValues = top.values.dataSync() as Float32Array;
        out.topIndices = top.indices.dataSync() as Int32Array;
        out.truth = truth.dataSync() as Float32Array;
      });
      disposeStates(prev);
      states = out.states;
      if (opts.onStepValues) {
        const positions = Int32Array.from({ length: S }, (_, b) => {
          const pos = segStart(b) + (k - burnIn);
          return k >= burnIn && pos < segEnd(b) ? pos : -1;
        });
        opts.onStepValues(positions, out.values);
      }
      if (k < burnIn) continue;

      const row = (k - burnIn) % chunkSize;
      const kk = Math.min(TOP_K, vocabSize);
      for (let b = 0; b < S; b++) {
        const pos = segStart(b) + (k - burnIn);
        if (pos >= segEnd(b)) continue;
        const base = b * width;
        for (let slot = 0; slot < layers * Q; slot++) {
          encodeF16(out.values.subarray(base + slot * hidden, base + (slot + 1) * hidden), (staging[slot] as Uint16Array).subarray((b * chunkSize + row) * hidden, (b * chunkSize + row + 1) * hidden));
        }
        for (let j = 0; j < TOP_K; j++) {
          topIndex[(b * chunkSize + row) * TOP_K + j] = j < kk ? (out.topIndices[b * kk + j] ?? 0) : 0;
          topProb[(b * chunkSize + row) * TOP_K + j] = j < kk ? toFloat16(out.topValues[b * kk + j] ?? 0) : 0;
        }
        nextProb[b * chunkSize + row] = nextValid[b] ? toFloat16(out.truth[b] ?? 0) : 0x7e00;
        done++;
      }
      const lastStep = k === steps - 1;
      if (row === chunkSize - 1 || lastStep) {
        await opts.onChunks(collectChunks(k - burnIn, row + 1));
        await opts.onProgress?.(done, total);
        // Let timers and I/O run between chunks (synchronous SQLite writes never yield).
        await new Promise((r) => setImmediate(r));
        if (opts.shouldStop && (await opts.shouldStop())) {
          stopped = true;
          break;
        }
      }
    }
  } finally {
    disposeStates(states);
  }
  return { timesteps: done, stopped, charsPerSec: done / ((performance.now() - started) / 1000) };

  /** The chunks that end at segment offset `offset` (rows filled: `rows`), for every stream. */
  function collectChunks(offset: number, rows: number): ChunkRow[] {
    const chunkInSegment = Math.floor(offset / chunkSize);
    const out: ChunkRow[] = [];
    for (let b = 0; b < S; b++) {
      const chunkStart = segStart(b) + chunkInSegment * chunkSize;
      const length = Math.min(rows, segEnd(b) - chunkStart);
      if (length <= 0) continue;
      const chunk = (chunkStart - start) / chunkSize;
      for (let l = 0; l < layers; l++) {
        for (const [qi, q] of quantities.entries()) {
          const buf = staging[l * Q + qi] as Uint16Array;
          out.push(rowOf(l, q, chunk, chunkStart, length, buf.subarray(b * chunkSize * hidden, (b * chunkSize + length) * hidden)));
        }
      }
      out.push(rowOf(PREDICTION_LAYER, 'top.index', chunk, chunkStart, length, topIndex.subarray(b * chunkSize * TOP_K, (b * chunkSize + length) * TOP_K)));
      out.push(rowOf(PREDICTION_LAYER, 'top.prob', chunk, chunkStart, length, topProb.subarray(b * chunkSize * TOP_K, (b * chunkSize + length) * TOP_K)));
      out.push(rowOf(PREDICTION_LAYER, 'next.prob', chunk, chunkStart, length, nextProb.subarray(b * chunkSize, b * chunkSize + length)));
    }
    return out;
  }
}

function rowOf(layer: number, quantity: string, chunk: number, start: number, length: number, data: Uint16Array): ChunkRow {
  // Copy: staging buffers are reused for the next chunk while the rows are being written.
  return { layer, quantity, chunk, start, length, data: new Uint8Array(data.slice().buffer) };
}
