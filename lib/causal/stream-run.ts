import { requireReadout, topUnits, type CharModel } from '../../models/char-model.ts';
import { createEditedRunner, type LayerEdit } from '../../models/fused/edited-runner.ts';
import { kernels } from '../../models/fused/kernels.ts';
import { predictTopK } from '../../models/fused/readout.ts';

/**
 * Runs parallel streams of a model with an intervention (models/fused/edited-runner.ts) over
 * stretches of a corpus and scores each stream's predictions of the next token. Stream b reads
 * positions [from, end) of `ids` from a zero state (and from a zero state again at every
 * sequence start of a corpus of sequences), and its predictions at [score, end) are handed to
 * `onScores`. All streams step together; a stream whose stretch is shorter pads at its start.
 */
export interface StreamStretch {
  /** First position read (the warm-up starts here). */
  from: number;
  /** First position scored. */
  score: number;
  /** One past the last position read and scored. */
  end: number;
}

export interface ScoredBlock {
  /** Rows k·B + b of this block: stream b at corpus position positions[k·B + b] (−1: not scored). */
  positions: Int32Array;
  /** p(true next token) per row. */
  truth: Float32Array;
  /** [rows, k] the top ids and their probabilities. */
  topIndices: Int32Array;
  topValues: Float32Array;
  k: number;
}

export interface StreamRunOptions {
  model: CharModel;
  ids: Int32Array;
  streams: readonly StreamStretch[];
  edit: LayerEdit;
  /** Whether stream b's edits apply at corpus position pos. */
  editAt(b: number, pos: number): boolean;
  sequenceStarts?: Int32Array | null;
  onScores(block: ScoredBlock): void;
  /** Top predictions kept per row (default 5). */
  topK?: number;
  /** Steps per block (default 64). */
  blockSize?: number;
  onProgress?(fraction: number): Promise<void> | void;
  /** Checked between blocks: true stops the run early. */
  shouldStop?(): Promise<boolean> | boolean;
}

/** Steps every stream takes: the longest warm-up plus the longest scored stretch. */
export function streamSteps(streams: readonly StreamStretch[]): { lead: number; steps: number } {
  const lead = Math.max(0, ...streams.map((s) => s.score - s.from));
  return { lead, steps: lead + Math.max(0, ...streams.map((s) => s.end - s.score)) };
}

export async function runStreams(opts: StreamRunOptions): Promise<{ stopped: boolean }> {
  const { model, ids, streams } = opts;
  const B = streams.length;
  const { lead, steps } = streamSteps(streams);
  const readout = requireReadout(model);
  const outKernel = readout.kernel.dataSync() as Float32Array;
  const outBias = readout.bias.dataSync() as Float32Array;
  const k = Math.min(opts.topK ?? 5, outBias.length);
  const isStart = new Uint8Array(ids.length);
  for (const s of opts.sequenceStarts ?? []) if (s >= 0 && s < ids.length) isStart[s] = 1;
  const position = (b: number, step: number): number => (streams[b] as StreamStretch).score - lead + step;
  const reading = (b: number, pos: number): boolean => pos >= (streams[b] as StreamStretch).from && pos < (streams[b] as StreamStretch).end;
  // Stream b's state is zeroed before the step at which it starts reading, and at sequence starts.
  const resets = (step: number): Uint8Array => Uint8Array.from(streams, (s, b) => {
    const pos = position(b, step);
    return pos === s.from || (reading(b, pos) && isStart[pos] === 1) ? 1 : 0;
  });
  const runner = createEditedRunner(model, B, opts.edit);
  const rt = kernels();
  const H = topUnits(model);
  const blockSize = Math.max(1, opts.blockSize ?? 64);
  try {
    let step = 0;
    while (step < steps) {
      if (await opts.shouldStop?.()) return { stopped: true };
      const first = resets(step);
      if (first.some((r) => r)) runner.resetStreams(first);
      let stepEnd = Math.min(steps, step + blockSize);
      for (let s2 = step + 1; s2 < stepEnd; s2++) if (resets(s2).some((r) => r)) stepEnd = s2;
      const K = stepEnd - step;
      const input = new Int32Array(K * B);
      const next = new Int32Array(K * B).fill(-1);
      const on = new Uint8Array(K * B);
      const positions = new Int32Array(K * B).fill(-1);
      for (let j = 0; j < K; j++) {
        for (let b = 0; b < B; b++) {
          const pos = position(b, step + j);
          if (!reading(b, pos)) continue;
          const r = j * B + b;
          input[r] = ids[pos] ?? 0;
          on[r] = opts.editAt(b, pos) ? 1 : 0;
          if (pos >= (streams[b] as StreamStretch).score && pos + 1 < ids.length) {
            next[r] = ids[pos + 1] ?? 0;
            positions[r] = pos;
          }
        }
      }
      const { topView } = runner.run(input, K, on);
      if (positions.some((p) => p >= 0)) {
        const pred = predictTopK(rt, topView, K * B, H, outKernel, outBias, next, k);
        opts.onScores({ positions, truth: pred.truth, topIndices: pred.topIndices, topValues: pred.topValues, k });
      }
      step = stepEnd;
      await opts.onProgress?.(step / steps);
    }
    return { stopped: false };
  } finally {
    runner.dispose();
  }
}

/** Splits [start, end) into at most `count` stretches, each warmed up on up to `warmUp` positions before it. */
export function splitStretches(start: number, end: number, count: number, warmUp: number, minLength = 256): StreamStretch[] {
  const total = end - start;
  const n = Math.max(1, Math.min(count, Math.floor(total / minLength)));
  const length = Math.ceil(total / n);
  const out: StreamStretch[] = [];
  for (let s = start; s < end; s += length) out.push({ from: Math.max(0, s - warmUp), score: s, end: Math.min(end, s + length) });
  return out;
}
