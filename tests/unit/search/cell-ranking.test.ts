import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryScore, correlation } from '../../../lib/search/cell-ranking.ts';
import { fromFloat16, toFloat16 } from '../../../lib/record/f16.ts';
import { bruteAuc, pearson } from '../../helpers/brute-stats.ts';

/** Values as a float16 column, and those float16 values decoded (what the brute force compares). */
function halves(values: ArrayLike<number>): { bits: Uint16Array; x: Float64Array } {
  const bits = Uint16Array.from(Array.from(values), toFloat16);
  return { bits, x: Float64Array.from(bits, fromFloat16) };
}

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

test('AUC from histograms equals the pairwise definition on the float16 values, on and off cells alike, at any range', () => {
  // Ranges from a gate's [0, 1] to a counter-like cell state at ±250 (issue 13), with values
  // rounded onto a coarse grid so that many tie.
  const ranges = [0.5, 1, 4, 30, 250];
  for (let trial = 0; trial < 30; trial++) {
    const r = rng(trial + 1);
    const range = ranges[trial % ranges.length] as number;
    const n = 200 + Math.floor(r() * 300);
    const y = Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
    const shift = (r() - 0.5) * range;
    const grid = trial % 2 === 0 ? range / 50 : 0;
    const raw = Array.from(y, (v) => {
      const u = (r() - 0.5) * range + v * shift;
      return grid > 0 ? Math.round(u / grid) * grid : u;
    });
    const { bits, x } = halves(raw);
    const got = binaryScore(bits, y);
    assert.ok(Math.abs(got.auc - bruteAuc(x, y)) < 1e-12, `trial ${trial}`);
    assert.equal(got.side, got.auc >= 0.5 ? 'above' : 'below');
  }
});

test('AUC: −0 ties with +0, negatives rank below positives, and a cell from −252 to 0 is not flattened', () => {
  const y = Uint8Array.from([1, 0, 1, 0]);
  assert.equal(binaryScore(Uint16Array.from([0x0000, 0x8000, 0x8000, 0x0000]), y).auc, 0.5, '±0 are one value');
  const { bits, x } = halves([-252, -251.5, -3, -200]);
  assert.equal(binaryScore(bits, Uint8Array.from([0, 0, 1, 1])).auc, bruteAuc(x, Uint8Array.from([0, 0, 1, 1])));
  assert.equal(binaryScore(bits, Uint8Array.from([0, 1, 1, 0])).auc, 0.75);
});

test('threshold: a perfect on-cell and a perfect off-cell are found with precision and recall 1', () => {
  const y = Uint8Array.from([0, 0, 1, 1, 1, 0, 1, 0]);
  const on = halves(Array.from(y, (v) => (v ? 100 : -20))).bits;
  const s = binaryScore(on, y);
  assert.equal(s.auc, 1);
  assert.deepEqual([s.side, s.precision, s.recall, s.threshold], ['above', 1, 1, 100], 'the threshold is a stored value: ≥ 100');
  const off = halves(Array.from(y, (v) => (v ? -90.5 : 50))).bits;
  const t = binaryScore(off, y);
  assert.equal(t.auc, 0);
  assert.deepEqual([t.side, t.precision, t.recall, t.threshold], ['below', 1, 1, -90.5]);
  assert.deepEqual(binaryScore(on, new Uint8Array(8)).auc, 0.5, 'no positives: no information');
});

test('correlation equals Pearson\'s r computed directly on the float16 values', () => {
  const r = rng(9);
  const { bits, x } = halves(Array.from({ length: 500 }, () => (r() - 0.5) * 500));
  const f = Float32Array.from(x, (v) => v * 0.3 + (r() - 0.5) * 40);
  assert.ok(Math.abs(correlation(bits, f) - pearson(x, f)) < 1e-9);
  assert.equal(correlation(bits, new Float32Array(x.length)), 0, 'a constant feature correlates with nothing');
});
