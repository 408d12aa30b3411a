import type { Db } from '../db/client.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { saliencySourceOfRun } from '../saliency/saliency-source.ts';
import type { CharModel } from '../../models/char-model.ts';
import { fusedStackInfer, fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { runStreams } from './stream-run.ts';
import { NO_EDITS } from '../../models/fused/state-edit.ts';

/**
 * State patching (issue 13): a clean text and a corrupted one of the same length (a quote opened
 * against not), and a target the model should predict after them. Both are run; then, for every
 * layer, state quantity (h, and c of an LSTM) and step, the corrupted run is run again with that
 * layer's whole state at that step copied from the clean run, and p(target) at the end measured.
 * How much of p(target) a patch restores, (p_patched − p_corrupt) / (p_clean − p_corrupt), over
 * (step, layer) shows which step's state carries the information and how long it is carried.
 * All patches of one layer and quantity run as parallel streams, one per step.
 */
export const MAX_PATCH_CHARS = 400;

export interface PatchInput {
  clean: string;
  corrupt: string;
  target: string;
  checkpointId?: number | undefined;
}

export interface PatchLayer {
  layer: number;
  quantity: string;
  /** p(target) after the corrupted text with this layer's quantity patched at step t. */
  p: number[];
  /** The fraction of p_clean − p_corrupt that the patch restores (null when they are equal). */
  restored: (number | null)[];
}

export interface PatchResult {
  runId: number;
  checkpointId: number;
  step: number;
  clean: string[];
  corrupt: string[];
  target: string;
  pClean: number;
  pCorrupt: number;
  patches: PatchLayer[];
  tookMs: number;
}

/** The state quantities of a layer that a patch copies: its output h, and an LSTM's cell state c. */
export function patchedQuantities(arch: string): string[] {
  return arch === 'lstm' ? ['h', 'c'] : ['h'];
}

export async function patchStates(db: Db, runId: number, input: PatchInput): Promise<PatchResult> {
  const started = performance.now();
  const source = await saliencySourceOfRun(db, runId, input.checkpointId);
  if (source.classes) throw new ConflictError(`run ${runId} is a classifier: patching measures the prediction of a next character`);
  const why = fusedUnsupportedReason(source.model.shape, 'feedforward', 0);
  if (why !== null) throw new ConflictError(`patching runs on the fused kernels, which do not cover this model: ${why}`);
  const tokens = (text: string, field: 'clean' | 'corrupt'): number[] => {
    const chars = [...text];
    if (chars.length === 0) throw new BadRequestError(`${field} must not be empty`, field);
    if (chars.length > MAX_PATCH_CHARS) throw new BadRequestError(`${field} has ${chars.length} characters; at most ${MAX_PATCH_CHARS}`, field);
    return chars.map((ch, k) => {
      const id = source.vocab.index.get(ch);
      if (id === undefined) throw new BadRequestError(`${field}: character ${JSON.stringify(ch)} at ${k} is not in the model's vocabulary`, field);
      return id;
    });
  };
  const clean = tokens(input.clean, 'clean');
  const corrupt = tokens(input.corrupt, 'corrupt');
  if (clean.length !== corrupt.length) throw new BadRequestError(`clean and corrupt must have the same length, so that their steps line up (got ${clean.length} and ${corrupt.length} characters)`, 'corrupt');
  const target = source.vocab.index.get(input.target);
  if (target === undefined || [...input.target].length !== 1) throw new BadRequestError(`target must be one character of the model's vocabulary, got ${JSON.stringify(input.target)}`, 'target');

  const model = source.model;
  const T = clean.length;
  const states = cleanStates(model, Int32Array.from(clean));
  const pClean = (await finalProbabilities(model, [...clean, target], null))[0] as number;
  const patches: PatchLayer[] = [];
  let pCorrupt = NaN;
  for (const [l, layer] of model.layers.entries()) {
    for (const quantity of patchedQuantities(layer.spec.arch)) {
      const H = layer.spec.units;
      const values = states[l]?.[quantity] as Float32Array;
      // Stream t patches step t; stream T is the corrupted run as it is.
      const streams = Array.from({ length: T }, (_, t) => Array.from({ length: H }, (_, j) => ({ t, j }))).flat();
      const p = await finalProbabilities(model, [...corrupt, target], {
        layer: l,
        quantity,
        streams: T + 1,
        edits: {
          streams: Int32Array.from(streams, (e) => e.t),
          cells: Int32Array.from(streams, (e) => e.j),
          scale: new Float32Array(streams.length),
          shift: Float32Array.from(streams, (e) => values[e.t * H + e.j] as number),
        },
      });
      pCorrupt = p[T] as number;
      const span = pClean - pCorrupt;
      const patched = Array.from(p.subarray(0, T));
      patches.push({ layer: l, quantity, p: patched, restored: patched.map((v) => (Math.abs(span) > 1e-9 ? (v - pCorrupt) / span : null)) });
    }
  }
  return {
    runId, checkpointId: source.checkpointId, step: source.step, clean: [...input.clean], corrupt: [...input.corrupt], target: input.target,
    pClean, pCorrupt, patches, tookMs: Math.round(performance.now() - started),
  };
}

/** Every layer's h (and c) at every step of `ids` read from a zero state, [T, H] per quantity. */
function cleanStates(model: CharModel, ids: Int32Array): Record<string, Float32Array>[] {
  const zero = model.layers.map((l) => Object.fromEntries(l.cell.stateNames.map((n) => [n, new Float32Array(l.spec.units)])));
  const out = fusedStackInfer(model, ids, zero, ids.length, 1);
  try {
    return out.passes.map((pass, l) => Object.fromEntries(patchedQuantities(model.layers[l]?.spec.arch ?? '').map((q) => [q, pass.quantity(q)])));
  } finally {
    out.passes.forEach((p) => p.release());
  }
}

/**
 * p(the last token) after reading the others, for each stream: stream b with its edits on at
 * step b (the patch), the streams past the edits as they are.
 */
async function finalProbabilities(
  model: CharModel,
  tokens: number[],
  patch: { layer: number; quantity: string; streams: number; edits: { streams: Int32Array; cells: Int32Array; scale: Float32Array; shift: Float32Array } } | null,
): Promise<Float32Array> {
  const ids = Int32Array.from(tokens);
  const T = ids.length - 1;
  const B = patch?.streams ?? 1;
  const out = new Float32Array(B);
  await runStreams({
    model,
    ids,
    streams: Array.from({ length: B }, () => ({ from: 0, score: T - 1, end: T })),
    edit: patch ? { layer: patch.layer, quantity: patch.quantity, edits: patch.edits } : { layer: 0, quantity: 'h', edits: NO_EDITS },
    editAt: (b, pos) => patch !== null && b === pos,
    topK: 1,
    onScores(block) {
      block.positions.forEach((pos, r) => {
        if (pos === T - 1) out[r % B] = block.truth[r] as number;
      });
    },
  });
  return out;
}
