import type { MetricPoint } from '../../lib/train/trainer.ts';

export interface LossSeries {
  train: [number, number][];
  val: [number, number][];
  xMax: number;
  yMin: number;
  yMax: number;
}

/** Metric points -> training and validation curves in bits per character, with their extent. */
export function wrangleLoss(metrics: readonly MetricPoint[], totalSteps: number): LossSeries {
  const train = metrics.filter((m) => Number.isFinite(m.trainBpc)).map((m) => [m.step, m.trainBpc] as [number, number]);
  const val = metrics.filter((m) => m.valBpc !== undefined && Number.isFinite(m.valBpc)).map((m) => [m.step, m.valBpc as number] as [number, number]);
  const ys = [...train, ...val].map((p) => p[1]);
  const yMin = ys.length ? Math.min(...ys) : 0;
  const yMax = ys.length ? Math.max(...ys) : 1;
  const pad = (yMax - yMin) * 0.05 || 0.5;
  return { train, val, xMax: Math.max(totalSteps, train.at(-1)?.[0] ?? 1, 1), yMin: Math.max(0, yMin - pad), yMax: yMax + pad };
}
