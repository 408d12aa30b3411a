import type { Db } from '../db/client.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { saliencySourceOfRun } from '../saliency/saliency-source.ts';
import { fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { gradientFlowNorms } from './gradient-flow.ts';

/**
 * `cellscope dynamics --what flow` and GET /api/runs/:id/gradient-flow: for each layer of a
 * checkpoint and each state quantity, ‖∂q_t/∂q_{t−d}‖_F against the distance d, over `positions`
 * real positions of the run's corpus (each read after a warm-up): the geometric mean and the
 * 10th and 90th percentiles, for a log-scale chart.
 */
export const FLOW_WARM_UP = 64;
export const MAX_FLOW_DISTANCE = 200;
export const MAX_FLOW_POSITIONS = 64;
/** Batch rows (positions × state units) the default number of positions aims at. */
export const FLOW_ROWS = 8192;

export interface FlowCurve {
  quantity: string;
  /** Per distance d = 1..D. */
  mean: number[];
  lo: number[];
  hi: number[];
}

export interface FlowReport {
  runId: number;
  checkpointId: number;
  step: number;
  arch: string;
  positions: number;
  distance: number;
  layers: { layer: number; arch: string; units: number; curves: FlowCurve[] }[];
  tookMs: number;
}

export async function runGradientFlow(db: Db, runId: number, opts: { checkpointId?: number | undefined; layer?: number | undefined; positions?: number | undefined; distance?: number | undefined } = {}): Promise<FlowReport> {
  const started = performance.now();
  const source = await saliencySourceOfRun(db, runId, opts.checkpointId);
  const { model, ids } = source;
  const why = fusedUnsupportedReason(model.shape, 'feedforward', 0);
  if (why !== null) throw new ConflictError(`the gradient flow runs on the fused kernels, which do not cover this model: ${why}`);
  const D = opts.distance ?? 64;
  // Each position carries every state unit back as a row of the batch: large states take fewer.
  const S = Math.max(...model.layers.map((l) => l.cell.stateNames.length * l.spec.units));
  const N = opts.positions ?? Math.min(16, Math.max(2, Math.floor(FLOW_ROWS / S)));
  if (!Number.isInteger(D) || D < 1 || D > MAX_FLOW_DISTANCE) throw new BadRequestError(`distance must be an integer from 1 to ${MAX_FLOW_DISTANCE}, got ${D}`, 'distance');
  if (!Number.isInteger(N) || N < 1 || N > MAX_FLOW_POSITIONS) throw new BadRequestError(`positions must be an integer from 1 to ${MAX_FLOW_POSITIONS}, got ${N}`, 'positions');
  if (opts.layer !== undefined && (!Number.isInteger(opts.layer) || opts.layer < 0 || opts.layer >= model.layers.length)) throw new BadRequestError(`layer must be one of 0..${model.layers.length - 1}, got ${opts.layer}`, 'layer');
  const K = FLOW_WARM_UP + D + 1;
  if (ids.length < K + N) throw new BadRequestError(`the run's corpus has ${ids.length} characters: too few for ${N} positions ${D} steps back after a warm-up of ${FLOW_WARM_UP}`, 'distance');
  // Stream n ends at an evenly spaced position of the corpus.
  const ends = Array.from({ length: N }, (_, n) => K - 1 + Math.floor(((ids.length - K) * (n + 0.5)) / N));
  const input = new Int32Array(K * N);
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) input[k * N + n] = ids[(ends[n] as number) - (K - 1) + k] as number;
  const layers = [];
  for (const [l, layer] of model.layers.entries()) {
    if (opts.layer !== undefined && l !== opts.layer) continue;
    const flow = gradientFlowNorms(model, input, K, N, l, D);
    layers.push({ layer: l, arch: layer.spec.arch, units: layer.spec.units, curves: flow.names.map((q, qi) => summarize(q, flow.norms[qi] ?? [])) });
  }
  return { runId, checkpointId: source.checkpointId, step: source.step, arch: model.layers[0]?.spec.arch ?? '', positions: N, distance: D, layers, tookMs: Math.round(performance.now() - started) };
}

/** Per distance: the geometric mean of the norms over positions and their 10th/90th percentiles. */
function summarize(quantity: string, byDistance: Float64Array[]): FlowCurve {
  const mean: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const norms of byDistance) {
    const sorted = Float64Array.from(norms).sort();
    const logs = Array.from(sorted, (v) => Math.log(Math.max(v, 1e-300)));
    mean.push(Math.exp(logs.reduce((a, b) => a + b, 0) / Math.max(1, logs.length)));
    lo.push(sorted[Math.floor(0.1 * (sorted.length - 1))] ?? 0);
    hi.push(sorted[Math.ceil(0.9 * (sorted.length - 1))] ?? 0);
  }
  return { quantity, mean, lo, hi };
}
