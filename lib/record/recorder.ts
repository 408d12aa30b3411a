import { requireReadout, topUnits, type CharModel } from '../../models/char-model.ts';
import { predictTopK, readoutProbabilities } from '../../models/fused/readout.ts';
import { createSequenceRunner } from '../../models/sequence-runner.ts';
import { toFloat16 } from './f16.ts';
import { kernels, splitRows } from '../../models/fused/kernels.ts';
import type { QuantityView } from '../../models/fused/layer-pass.ts';
import { DEFAULT_CHUNK_SIZE, PREDICTION_LAYER, TOP_K } from './quantities.ts';
import { sequenceAt } from '../corpus/sequences.ts';
import { layerPlans } from './layer-plans.ts';
import { recordWholeSequences } from './whole-sequence-recorder.ts';
import { hasBackwardLayer } from '../../models/architectures.ts';

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
   * in each layer's cell's `quantities` order, each layer its own units. For tests and diagnostics.
   */
  onStepValues?: (positions: Int32Array, values: Float32Array) => void;
  /**
   * A corpus of sequences (lib/corpus/sequences.ts): each sequence's first position in `ids`. The
   * state is reset before each (in burn-in too), as every sequence was read when the model was
   * trained; without it, the corpus is one continuous text.
   */
  sequenceStarts?: Int32Array;
  /**
   * Per position of `ids`, the output whose probability next.prob stores (-1: none); default the
   * next token. A classifier's: the label of the position's sequence.
   */
  targets?: Int32Array;
  /** A classifier: also store every class's probability after each step (class.prob). */
  classProbabilities?: boolean;
  /** fused (default): the WebAssembly kernels where they cover the model; tfjs: the tfjs cells. */
  engine?: 'fused' | 'tfjs';
  /** Timesteps run per kernel call (default 64). */
  blockSize?: number;
  /**
   * The quantities to store (default all of them), e.g. only c and h (models/architectures.ts:
   * stateQuantities): each layer stores those its cell records; the others are computed but not
   * encoded or stored.
   */
  quantities?: readonly string[];
}

export interface RecordResult {
  timesteps: number;
  stopped: boolean;
  /** Characters recorded per second, wall time including encoding and the chunk writes. */
  charsPerSec: number;
}

/**
 * Most characters a stream reads back to the start of the sequence its segment begins in (a
 * corpus of sequences). Longer sequences start their segments from the asked burn-in, like a
 * continuous text.
 */
export const SEQUENCE_LEAD_IN = 4096;

/** The stream layout: segment length is a whole number of chunks so chunks never straddle streams. */
export function planStreams(total: number, streams: number, chunkSize: number): { segment: number; count: number } {
  const segment = Math.max(chunkSize, Math.ceil(Math.ceil(total / streams) / chunkSize) * chunkSize);
  return { segment, count: Math.max(1, Math.ceil(total / segment)) };
}

/**
 * Runs `model` over ids[start, end) as parallel streams and emits every layer's c, h, i, f, o, g
 * (or the chosen subset) and the top-5 / true-next predictions, as float16 chunks
 * (lib/record/quantities.ts).
 */
export async function recordStates(opts: RecordOptions): Promise<RecordResult> {
  // Backward layers read sequences from their ends: run whole, with no predictions.
  if (hasBackwardLayer(opts.model.shape.stack)) return recordWholeSequences(opts);
  const { model, ids, start, end } = opts;
  const hidden = topUnits(model);
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const askedBurnIn = opts.burnIn ?? 0;
  const total = end - start;
  if (!(start >= 0 && end <= ids.length && total > 0)) throw new Error(`bad range [${start}, ${end}) of ${ids.length}`);
  // Per layer: its cell's quantities, its units, and the indices (into those quantities) of the
  // ones stored, in the cell's order. Layers may differ in all three (a mixed stack).
  const plan = layerPlans(model, opts.quantities);
  // A corpus of sequences: 1 at each sequence's first position (the state is reset before it).
  let startMask: Uint8Array | null = null;
  if (opts.sequenceStarts) {
    startMask = new Uint8Array(ids.length);
    for (const s of opts.sequenceStarts) if (s >= 0 && s < ids.length) startMask[s] = 1;
  }
  const slots = plan.flatMap((p) => p.kept.map(() => p.units));
  // Staging is streams x chunk x (units x stored quantities, summed over layers) float16: keep it under ~192 MiB.
  const stagedWidth = Math.max(1, slots.reduce((a, u) => a + u, 0));
  const budget = Math.floor((192 * 1024 * 1024) / (chunkSize * stagedWidth * 2));
  const wanted = Math.max(1, Math.min(opts.streams ?? 64, budget));
  const { segment, count: S } = planStreams(total, wanted, chunkSize);
  const segStart = (b: number): number => start + b * segment;
  const segEnd = (b: number): number => Math.min(end, start + (b + 1) * segment);
  // Stream b starts reading at readStart[b] = segStart - burn_b; steps before pad_b are padding.
  // Each stream's burn-in: the characters asked for, or in a corpus of sequences back to the
  // start of the sequence its segment begins in (when that is at most SEQUENCE_LEAD_IN away), so
  // that its states are exactly those of the sequence read from its start.
  const burn = Array.from({ length: S }, (_, b) => {
    const asked = Math.min(askedBurnIn, segStart(b));
    if (!opts.sequenceStarts) return asked;
    const back = segStart(b) - (opts.sequenceStarts[sequenceAt(opts.sequenceStarts, segStart(b))] ?? 0);
    return back <= Math.max(asked, SEQUENCE_LEAD_IN) ? back : asked;
  });
  // Steps every stream takes before its segment; stream b pads the first pad[b] of them.
  const burnIn = Math.max(0, ...burn);
  const pad = burn.map((x) => burnIn - x);
  const steps = burnIn + segment;
  const width = plan.reduce((a, p) => a + p.quantities.length * p.units, 0);
  // Float16 staging per layer and stored quantity, [stream][chunk row][cell], in kernel memory
  // where the encoder writes it straight from the recorded quantities.
  const rt = kernels();
  const streamParts = splitRows(S, rt.threads);
  const readout = requireReadout(model);
  const outKernel = readout.kernel.dataSync() as Float32Array;
  const outBias = readout.bias.dataSync() as Float32Array;
  // Staging slot of layer l's k-th stored quantity: plan[l].slot + k.
  const staging = slots.map((units) => rt.alloc(S * chunkSize * units * 2));
  const topIndex = new Uint16Array(S * chunkSize * TOP_K);
  const topProb = new Uint16Array(S * chunkSize * TOP_K);
  const nextProb = new Uint16Array(S * chunkSize);
  const started = performance.now();
  const runner = createSequenceRunner(model, S, opts.engine ?? 'fused');
  // What the read-out scores: the next token, or a classifier's classes.
  const outputs = outBias.length;
  const kk = Math.min(TOP_K, outputs);
  const classProb = opts.classProbabilities ? new Uint16Array(S * chunkSize * outputs) : null;
  const blockSize = Math.max(1, opts.blockSize ?? 64);
  let done = 0;
  let stopped = false;

  try {
    let k = 0;
    while (k < steps && !stopped) {
      // Streams whose real text starts now begin from a zero state.
      const resets = resetsAt(k);
      if (resets.some((r) => r)) runner.resetStreams(resets);
      // A block ends at the next reset, at the end of burn-in and at chunk ends.
      let kEnd = Math.min(steps, k + blockSize);
      for (const p of pad) if (p > k && p < kEnd) kEnd = p;
      if (k < burnIn) kEnd = Math.min(kEnd, burnIn);
      else kEnd = Math.min(kEnd, burnIn + (Math.floor((k - burnIn) / chunkSize) + 1) * chunkSize);
      // ... and before the next step at which some stream starts a sequence.
      if (startMask) for (let k2 = k + 1; k2 < kEnd; k2++) if (resetsAt(k2).some((r) => r)) kEnd = k2;
      const K = kEnd - k;
      const input = new Int32Array(K * S);
      const next = new Int32Array(K * S);
      const nextValid = new Uint8Array(K * S);
      for (let j = 0; j < K; j++) {
        for (let b = 0; b < S; b++) {
          const pos = segStart(b) - burnIn + k + j;
          const inRange = pos >= 0 && pos < segEnd(b);
          const r = j * S + b;
          input[r] = inRange ? (ids[pos] ?? 0) : 0;
          if (opts.targets) {
            next[r] = inRange ? (opts.targets[pos] ?? -1) : -1;
            nextValid[r] = next[r] >= 0 ? 1 : 0;
          } else {
            nextValid[r] = inRange && pos + 1 < ids.length ? 1 : 0;
            next[r] = nextValid[r] ? (ids[pos + 1] ?? 0) : -1;
          }
        }
      }
      const { topView, quantities: q } = runner.run(input, K, true);
      const inBurnIn = k < burnIn;
      const pred = inBurnIn ? undefined : predictTopK(rt, topView, K * S, hidden, outKernel, outBias, next, kk);
      const probs = inBurnIn || !classProb ? undefined : readoutProbabilities(rt, topView, K * S, hidden, outKernel, outBias);
      if (!inBurnIn) {
        const row0 = (k - burnIn) % chunkSize;
        plan.forEach((p, l) => {
          for (const [k2, qi] of p.kept.entries()) {
            const view = q[l]?.[qi];
            if (!view) throw new Error(`layer ${l} did not produce ${p.quantities[qi]}`);
            rt.parallel('encodeF16Block', streamParts.map(([b0, b1]) => [K, S, b0, b1, p.units, view.at, view.stride, staging[p.slot + k2] as number, chunkSize, row0]));
          }
        });
      }
      const stepValues = opts.onStepValues ? blockValues(q, K) : undefined;
      for (let j = 0; j < K; j++, k++) {
        if (opts.onStepValues && stepValues) opts.onStepValues(stepPositions(k), stepValues.subarray(j * S * width, (j + 1) * S * width));
        if (!pred) continue;
        const row = (k - burnIn) % chunkSize;
        for (let b = 0; b < S; b++) {
          const pos = segStart(b) + (k - burnIn);
          if (pos >= segEnd(b)) continue;
          const r = j * S + b;
          for (let t = 0; t < TOP_K; t++) {
            topIndex[(b * chunkSize + row) * TOP_K + t] = t < kk ? (pred.topIndices[r * kk + t] ?? 0) : 0;
            topProb[(b * chunkSize + row) * TOP_K + t] = t < kk ? toFloat16(pred.topValues[r * kk + t] ?? 0) : 0;
          }
          nextProb[b * chunkSize + row] = nextValid[r] ? toFloat16(pred.truth[r] ?? 0) : 0x7e00;
          if (classProb && probs) for (let c = 0; c < outputs; c++) classProb[(b * chunkSize + row) * outputs + c] = toFloat16(probs[r * outputs + c] ?? 0);
          done++;
        }
        if (row === chunkSize - 1 || k === steps - 1) {
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
    }
  } finally {
    runner.dispose();
    staging.forEach((at) => rt.release(at));
  }
  return { timesteps: done, stopped, charsPerSec: done / ((performance.now() - started) / 1000) };

  /**
   * Streams that start from a zero state at step k: where their real text begins after padding,
   * and (a corpus of sequences) before reading a sequence's first token, burn-in included.
   */
  function resetsAt(k: number): Uint8Array {
    return Uint8Array.from(pad, (p, b) => {
      if (p === k && p > 0) return 1;
      const pos = segStart(b) - burnIn + k;
      return startMask && pos > 0 && pos < segEnd(b) && k >= p && startMask[pos] ? 1 : 0;
    });
  }

  /** Each stream's corpus position at step k (-1 during burn-in or past its segment). */
  function stepPositions(k: number): Int32Array {
    return Int32Array.from({ length: S }, (_, b) => {
      const pos = segStart(b) + (k - burnIn);
      return k >= burnIn && pos < segEnd(b) ? pos : -1;
    });
  }

  /** A block's values as [step][stream][layer][quantity][cell] (the onStepValues layout). */
  function blockValues(q: QuantityView[][], K: number): Float32Array {
    const out = new Float32Array(K * S * width);
    let offset = 0;
    plan.forEach((p, l) => {
      p.quantities.forEach((_, qi) => {
        const values = runner.read(q[l]?.[qi] as QuantityView, K * S, p.units);
        for (let r = 0; r < K * S; r++) out.set(values.subarray(r * p.units, (r + 1) * p.units), r * width + offset);
        offset += p.units;
      });
    });
    return out;
  }

  /** The chunks that end at segment offset `offset` (rows filled: `rows`), for every stream. */
  function collectChunks(offset: number, rows: number): ChunkRow[] {
    const chunkInSegment = Math.floor(offset / chunkSize);
    const out: ChunkRow[] = [];
    for (let b = 0; b < S; b++) {
      const chunkStart = segStart(b) + chunkInSegment * chunkSize;
      const length = Math.min(rows, segEnd(b) - chunkStart);
      if (length <= 0) continue;
      const chunk = (chunkStart - start) / chunkSize;
      plan.forEach((p, l) => {
        for (const [k2, qi] of p.kept.entries()) {
          const at = (staging[p.slot + k2] as number) + b * chunkSize * p.units * 2;
          out.push(rowOf(l, p.quantities[qi] as string, chunk, chunkStart, length, rt.bytes(at, length * p.units * 2)));
        }
      });
      out.push(rowOf(PREDICTION_LAYER, 'top.index', chunk, chunkStart, length, topIndex.subarray(b * chunkSize * TOP_K, (b * chunkSize + length) * TOP_K)));
      out.push(rowOf(PREDICTION_LAYER, 'top.prob', chunk, chunkStart, length, topProb.subarray(b * chunkSize * TOP_K, (b * chunkSize + length) * TOP_K)));
      out.push(rowOf(PREDICTION_LAYER, 'next.prob', chunk, chunkStart, length, nextProb.subarray(b * chunkSize, b * chunkSize + length)));
      if (classProb) out.push(rowOf(PREDICTION_LAYER, 'class.prob', chunk, chunkStart, length, classProb.subarray(b * chunkSize * outputs, (b * chunkSize + length) * outputs)));
    }
    return out;
  }
}

function rowOf(layer: number, quantity: string, chunk: number, start: number, length: number, data: Uint16Array | Uint8Array): ChunkRow {
  // Copy: staging buffers are reused for the next chunk while the rows are being written.
  const bytes = new Uint8Array(data.byteLength);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { layer, quantity, chunk, start, length, data: bytes };
}
