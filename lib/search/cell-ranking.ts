import { decodeTable } from '../record/f16.ts';

/**
 * How well one cell tracks one feature (issue 5's cell finder), on a cell's column of float16
 * values as stored (lib/search/columns.ts), so both measures are exact to the stored precision
 * whatever the cell's range. Binary features: the AUC of the cell's value as a score for
 * "inside" (Mann-Whitney, from histograms over all 65,536 float16 values in value order, ties
 * counted half), and the threshold with the best F1 on the side the AUC favours (a cell that goes
 * down inside a feature has AUC < 0.5 and fires below its threshold). Numeric features: Pearson's
 * correlation.
 */
export interface BinaryScore {
  auc: number;
  /** The value threshold (a stored value) and on which side of it the cell marks the feature. */
  threshold: number;
  side: 'above' | 'below';
  precision: number;
  recall: number;
}

const BINS = 65536;

interface OrderTables {
  /** float16 bits -> rank of its value among all float16 values (−0 ranks with +0). */
  rankOf: Uint16Array;
  /** rank -> the value. */
  valueAt: Float32Array;
}
let order: OrderTables | undefined;

/** Sign-magnitude float16 bits in value order: negatives reversed below the positives. */
function orderTables(): OrderTables {
  if (order) return order;
  const rankOf = new Uint16Array(BINS);
  const valueAt = new Float32Array(BINS);
  const table = decodeTable();
  for (let bits = 0; bits < BINS; bits++) {
    const b = bits === 0x8000 ? 0 : bits;
    const rank = b & 0x8000 ? 0x7fff - (b & 0x7fff) : 0x8000 + b;
    rankOf[bits] = rank;
    valueAt[rank] = table[b] as number;
  }
  order = { rankOf, valueAt };
  return order;
}

// Reused between cells: the finder scores thousands of columns in a row.
const pos = new Float64Array(BINS);
const neg = new Float64Array(BINS);

export function binaryScore(column: Uint16Array, labels: ArrayLike<number>): BinaryScore {
  const { rankOf, valueAt } = orderTables();
  let lo = BINS;
  let hi = -1;
  for (let t = 0; t < column.length; t++) {
    const r = rankOf[column[t] as number] as number;
    if ((labels[t] as number) > 0) pos[r] = (pos[r] as number) + 1;
    else neg[r] = (neg[r] as number) + 1;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  try {
    return scoreHistograms(lo, hi, valueAt);
  } finally {
    // Only the bins between the column's extremes were touched.
    pos.fill(0, lo, hi + 1);
    neg.fill(0, lo, hi + 1);
  }
}

function scoreHistograms(lo: number, hi: number, valueAt: Float32Array): BinaryScore {
  let P = 0;
  let N = 0;
  for (let b = lo; b <= hi; b++) {
    P += pos[b] as number;
    N += neg[b] as number;
  }
  if (P === 0 || N === 0) return { auc: 0.5, threshold: 0, side: 'above', precision: 0, recall: 0 };
  let below = 0;
  let u = 0;
  for (let b = lo; b <= hi; b++) {
    u += (pos[b] as number) * (below + 0.5 * (neg[b] as number));
    below += neg[b] as number;
  }
  const auc = u / (P * N);
  const side = auc >= 0.5 ? 'above' : 'below';
  // Best F1 over thresholds at the values that occur, on the favoured side.
  let best = { f1: -1, threshold: 0, precision: 0, recall: 0 };
  let tp = 0;
  let fp = 0;
  const first = side === 'above' ? hi : lo;
  const dir = side === 'above' ? -1 : 1;
  for (let b = first; b >= lo && b <= hi; b += dir) {
    tp += pos[b] as number;
    fp += neg[b] as number;
    if (tp === 0) continue;
    const precision = tp / (tp + fp);
    const recall = tp / P;
    const f1 = (2 * precision * recall) / (precision + recall);
    if (f1 > best.f1) best = { f1, threshold: valueAt[b] as number, precision, recall };
  }
  return { auc, threshold: best.threshold, side, precision: best.precision, recall: best.recall };
}

/** Pearson's correlation of a float16 column with a track (0 when either is constant). */
export function correlation(column: Uint16Array, values: ArrayLike<number>): number {
  const table = decodeTable();
  const n = column.length;
  let sx = 0;
  let sy = 0;
  for (let t = 0; t < n; t++) {
    sx += table[column[t] as number] as number;
    sy += values[t] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let t = 0; t < n; t++) {
    const dx = (table[column[t] as number] as number) - mx;
    const dy = (values[t] as number) - my;
    cxy += dx * dy;
    cxx += dx * dx;
    cyy += dy * dy;
  }
  return cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : 0;
}
