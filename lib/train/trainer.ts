import { tf } from '../tf/backend.ts';
import {
  createCharModel,
  disposeModel,
  disposeStates,
  trainableVariables,
  oneHotRows,
  outputLogits,
  requireReadout,
  stackStep,
  zeroStates,
  type CharModel,
} from '../../models/char-model.ts';
import { keepState, type BatchStats, type CellState } from '../../models/cell-spec.ts';
import { updatePopulationStats } from '../../models/batch-norm-lstm.ts';
import { disposeVariationalMasks, variationalMasks, type DropoutPlan } from '../../models/dropout.ts';
import { TbpttBatcher } from './batcher.ts';
import { modelShapeOf, type TrainConfig } from './config.ts';
import { evaluateBpc } from './evaluate.ts';
import { fusedStackTrain, fusedUnsupportedReason } from '../../models/fused/fused-stack.ts';
import { fusedReadoutLoss } from '../../models/fused/readout-loss.ts';
import { exportOptimizer, exportWeights, importOptimizer, loadModel } from './model-io.ts';

export interface MetricPoint {
  step: number;
  /** Mean training cross-entropy (nats/char) since the previous point. */
  trainLoss: number;
  trainBpc: number;
  valBpc?: number;
  /** Training characters per second of compute since the previous point (evaluation excluded). */
  charsPerSec: number;
  elapsedMs: number;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  point: MetricPoint;
  etaSeconds: number;
  /** The engine running the recurrent layers. */
  engine: 'fused' | 'tfjs';
}

export interface CheckpointPayload {
  step: number;
  trainLoss: number;
  valBpc?: number;
  weights: Uint8Array<ArrayBuffer>;
  optimizer: Uint8Array<ArrayBuffer>;
  /** Batcher cursor, so a resumed run continues on the next text. */
  position: number;
}

export interface ResumeFrom {
  step: number;
  weights: Uint8Array;
  optimizer?: Uint8Array | null;
  position: number;
}

export interface TrainOptions {
  config: TrainConfig;
  vocabSize: number;
  trainIds: Int32Array;
  valIds: Int32Array;
  resume?: ResumeFrom;
  /** Called at every metric point (each `progressEvery` steps, and evaluations). */
  onProgress?: (p: TrainProgress) => void | Promise<void>;
  onCheckpoint?: (c: CheckpointPayload) => void | Promise<void>;
  /** Polled between steps; true stops training after saving nothing further. */
  shouldStop?: () => boolean | Promise<boolean>;
  progressEvery?: number;
}

export interface TrainResult {
  steps: number;
  stopped: boolean;
  trainLoss: number;
  valBpc: number;
  /** Training throughput over the whole run, compute only. */
  charsPerSec: number;
  metrics: MetricPoint[];
  /** Which engine ran the recurrent layers (absent when no step ran), and why not the fused one. */
  engine?: 'fused' | 'tfjs';
  engineNote?: string;
}

/**
 * Trains a char-level model with Adam, global-norm gradient clipping and truncated BPTT (state
 * carried across batches, reset when the streams wrap), optional dropout between layers.
 */
export async function trainCharModel(opts: TrainOptions): Promise<TrainResult> {
  const { config } = opts;
  const shape = modelShapeOf(config, opts.vocabSize);
  const model: CharModel = opts.resume ? loadModel(shape, opts.resume.weights) : createCharModel(shape, config.seed);
  const optimizer = tf.train.adam(config.learningRate);
  const vars = trainableVariables(model);
  const batcher = new TbpttBatcher(opts.trainIds, config.batch, config.seq);
  let step = 0;
  if (opts.resume) {
    step = opts.resume.step;
    batcher.position = opts.resume.position;
    if (opts.resume.optimizer) await importOptimizer(optimizer, opts.resume.optimizer);
  }
  let states: CellState[] = zeroStates(model, config.batch);
  const progressEvery = opts.progressEvery ?? Math.max(1, Math.min(10, Math.floor(config.steps / 50)));
  const metrics: MetricPoint[] = [];
  const started = performance.now();
  let computeMs = 0;
  let windowMs = 0;
  let windowLoss = 0;
  let windowSteps = 0;
  let lastLoss = Number.NaN;
  let lastVal = Number.NaN;
  let stopped = false;
  const charsPerStep = config.batch * config.seq;
  const notFused = config.engine === 'tfjs' ? 'the tfjs engine was asked for' : fusedUnsupportedReason(shape, config.dropoutKind, config.dropout);
  const fused = notFused === null;

  try {
    while (step < config.steps) {
      if (opts.shouldStop && (await opts.shouldStop())) {
        stopped = true;
        break;
      }
      const t0 = performance.now();
      const batch = batcher.next();
      if (batch.wrapped) {
        disposeStates(states);
        states = zeroStates(model, config.batch);
      }
      const prev = states;
      // Variational dropout: one set of masks for the whole sequence (this batch).
      const masks = config.dropout > 0 && config.dropoutKind === 'variational' ? variationalMasks(config.layers, config.batch, config.hidden, config.dropout) : undefined;
      const plan: DropoutPlan | undefined = config.dropout > 0 ? { kind: config.dropoutKind, rate: config.dropout, ...(masks ? { variational: masks } : {}) } : undefined;
      // Batch statistics of a batch-normalised LSTM, for its population estimates.
      const collected: { layer: number; stats: BatchStats }[] = [];
      const collect = (layer: number, stats: BatchStats): void => void collected.push({ layer, stats: { ...stats, mean: tf.keep(stats.mean), variance: tf.keep(stats.variance) } });
      const lossValue = tf.tidy(() => {
        let carried: CellState[] = prev;
        const { value, grads } = tf.variableGrads(() => {
          let top: tf.Tensor2D;
          if (fused) {
            const out = fusedStackTrain(model, flattenRows(batch.inputs), prev, config.seq, config.batch, plan?.rate ?? 0);
            carried = out.states.map(keepState);
            top = out.top;
          } else {
            let s = prev;
            const tops: tf.Tensor2D[] = [];
            batch.inputs.forEach((row, t) => {
              const out = stackStep(model, oneHotRows(row, shape.vocabSize), s, plan, { t, training: true, collect });
              s = out.states;
              tops.push(out.top);
            });
            carried = s.map(keepState);
            top = tf.concat(tops, 0);
          }
          if (fused) return fusedReadoutLoss(top, requireReadout(model).kernel as unknown as tf.Tensor2D, requireReadout(model).bias as unknown as tf.Tensor1D, batch.targets);
          const logits = outputLogits(model, top);
          const labels = tf.oneHot(tf.tensor1d(batch.targets, 'int32'), shape.vocabSize);
          return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
        }, vars);
        const clipped = clipByGlobalNorm(grads, config.clipNorm);
        // applyGradients accepts any named tensors at run time; its type asks for Variables.
        optimizer.applyGradients(clipped as unknown as Parameters<typeof optimizer.applyGradients>[0]);
        states = carried;
        return value.dataSync()[0] ?? Number.NaN;
      });
      disposeStates(prev);
      if (masks) disposeVariationalMasks(masks);
      if (collected.length) updatePopulationStats(model.layers, collected);
      if (!Number.isFinite(lossValue)) throw new Error(`training diverged at step ${step + 1} (loss ${lossValue})`);
      const dt = performance.now() - t0;
      computeMs += dt;
      windowMs += dt;
      windowLoss += lossValue;
      windowSteps++;
      step++;
      lastLoss = lossValue;

      const evalNow = step % config.evalEvery === 0 || step === config.steps;
      const checkpointNow = step % config.checkpointEvery === 0 || step === config.steps;
      if (evalNow) lastVal = evaluateBpc(model, opts.valIds, config.evalChars, config.engine);
      if (evalNow || step % progressEvery === 0) {
        const meanLoss = windowLoss / windowSteps;
        const point: MetricPoint = {
          step,
          trainLoss: meanLoss,
          trainBpc: meanLoss / Math.LN2,
          ...(evalNow && Number.isFinite(lastVal) ? { valBpc: lastVal } : {}),
          charsPerSec: (windowSteps * charsPerStep) / (windowMs / 1000),
          elapsedMs: performance.now() - started,
        };
        metrics.push(point);
        const perStep = computeMs / Math.max(1, step - (opts.resume?.step ?? 0));
        await opts.onProgress?.({ step, totalSteps: config.steps, point, etaSeconds: ((config.steps - step) * perStep) / 1000, engine: fused ? 'fused' : 'tfjs' });
        windowLoss = 0;
        windowSteps = 0;
        windowMs = 0;
      }
      if (checkpointNow && opts.onCheckpoint) {
        await opts.onCheckpoint({
          step,
          trainLoss: lastLoss,
          ...(Number.isFinite(lastVal) ? { valBpc: lastVal } : {}),
          weights: exportWeights(model),
          optimizer: await exportOptimizer(optimizer),
          position: batcher.position,
        });
      }
      // Let timers and I/O (progress writes, cancel polls) run between steps.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    disposeStates(states);
    optimizer.dispose();
    disposeModel(model);
  }
  const trained = step - (opts.resume?.step ?? 0);
  return {
    steps: step,
    stopped,
    trainLoss: lastLoss,
    valBpc: lastVal,
    charsPerSec: trained > 0 ? (trained * charsPerStep) / (computeMs / 1000) : 0,
    metrics,
    engine: fused ? 'fused' : 'tfjs',
    ...(notFused ? { engineNote: notFused } : {}),
  };
}

/** [T][B] rows to one [T·B] array, row-major (t·B + b). */
function flattenRows(rows: Int32Array[]): Int32Array {
  const B = rows[0]?.length ?? 0;
  const out = new Int32Array(rows.length * B);
  rows.forEach((r, t) => out.set(r, t * B));
  return out;
}

/** Scales all gradients by min(1, maxNorm / ||g||₂) over the concatenation of all of them. */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const names = Object.keys(grads);
    const squares = names.map((n) => tf.sum(tf.square(grads[n] as tf.Tensor)));
    const norm = tf.sqrt(tf.addN(squares));
    const scale = tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxNorm), tf.maximum(norm, tf.scalar(1e-12))));
    const out: tf.NamedTensorMap = {};
    for (const n of names) out[n] = tf.mul(grads[n] as tf.Tensor, scale);
    return out;
  });
}
