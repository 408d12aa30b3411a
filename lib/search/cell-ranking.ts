/**
 * How well one cell tracks one feature (issue 5's cell finder), on a cell's int8 column
 * (lib/search/columns.ts: 127 · value). Binary features: the AUC of the cell's value as a score
 * for "inside" (Mann-Whitney, from the 255-bin histograms of inside and outside values, ties
 * counted half), and the threshold with the best F1 on the side the AUC favours (a cell that goes
 * down inside a feature has AUC < 0.5 and fires below its threshold). Numeric features: Pearson's
 * correlation.
 */
export interface BinaryScore {
  auc: number;
  /** The value threshold (in [-1, 1]) and on which side of it the cell marks the feature. */
  threshold: number;
  side: 'above' | 'below';
  precision: number;
  recall: number;
}

export function binaryScore(column: Int8Array, labels: ArrayLike<number>): BinaryScore {
  const pos = new Float64Array(255);
  const neg = new Float64Array(255);
  for (let t = 0; t < column.length; t++) {
    const b = (column[t] as number) + 127;
    if ((labels[t] as number) > 0) pos[b] = (pos[b] as number) + 1;
    else neg[b] = (neg[b] as number) + 1;
  }
  const P = pos.reduce((a, b) => a + b, 0);
  const N = neg.reduce((a, b) => a + b, 0);
  if (P === 0 || N === 0) return { auc: 0.5, threshold: 0, side: 'above', precision: 0, recall: 0 };
  let below = 0;
  let u = 0;
  for (let b = 0; b < 255; b++) {
    u += (pos[b] as number) * (below + 0.5 * (neg[b] as number));
    below += neg[b] as number;
  }
  const auc = u / (P * N);
  const side = auc >= 0.5 ? 'above' : 'below';
  // Best F1 over thresholds at bin edges, on the favoured side.
  let best = { f1: -1, threshold: 0, precision: 0, recall: 0 };
  let tp = 0;
  let fp = 0;
  const order = side === 'above' ? Array.from({ length: 255 }, (_, i) => 254 - i) : Array.from({ length: 255 }, (_, i) => i);
  for (const b of order) {
    tp += pos[b] as number;
    fp += neg[b] as number;
    if (tp === 0) continue;
    const precision = tp / (tp + fp);
    const recall = tp / P;
    const f1 = (2 * precision * recall) / (precision + recall);
    if (f1 > best.f1) best = { f1, threshold: (b - 127) / 127, precision, recall };
  }
  return { auc, threshold: best.threshold, side, precision: best.precision, recall: best.recall };
}

export function correlation(column: Int8Array, values: ArrayLike<number>): number {
  const n = column.length;
  let sx = 0;
  let sy = 0;
  for (let t = 0; t < n; t++) {
    sx += column[t] as number;
    sy += values[t] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let t = 0; t < n; t++) {
    const dx = (column[t] as number) - mx;
    const dy = (values[t] as number) - my;
    cxy += dx * dy;
    cxx += dx * dx;
    cyy += dy * dy;
  }
  return cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : 0;
}
