import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binaryScore, correlation } from '../../../lib/search/cell-ranking.ts';

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

/** AUC by comparing every inside value with every outside value (ties half). */
function bruteAuc(x: Int8Array, y: Uint8Array): number {
  let u = 0;
  let pairs = 0;
  for (let i = 0; i < x.length; i++) {
    if (!y[i]) continue;
    for (let j = 0; j < x.length; j++) {
      if (y[j]) continue;
      pairs++;
      u += (x[i] as number) > (x[j] as number) ? 1 : (x[i] as number) === (x[j] as number) ? 0.5 : 0;
    }
  }
  return u / pairs;
}

test('AUC from histograms equals the pairwise definition, on and off cells alike', () => {
  for (let trial = 0; trial < 20; trial++) {
    const r = rng(trial + 1);
    const n = 200 + Math.floor(r() * 300);
    const y = Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
    const shift = (r() - 0.5) * 100;
    const x = Int8Array.from(y, (v) => Math.max(-127, Math.min(127, Math.round((r() - 0.5) * 120 + v * shift))));
    const got = binaryScore(x, y);
    assert.ok(Math.abs(got.auc - bruteAuc(x, y)) < 1e-12, `trial ${trial}`);
    assert.equal(got.side, got.auc >= 0.5 ? 'above' : 'below');
  }
});

test('threshold: a perfect on-cell and a perfect off-cell are found with precision and recall 1', () => {
  const y = Uint8Array.from([0, 0, 1, 1, 1, 0, 1, 0]);
  const on = Int8Array.from(y, (v) => (v ? 100 : -20));
  const s = binaryScore(on, y);
  assert.equal(s.auc, 1);
  assert.deepEqual([s.side, s.precision, s.recall], ['above', 1, 1]);
  assert.ok(s.threshold > -20 / 127 && s.threshold <= 100 / 127);
  const off = Int8Array.from(y, (v) => (v ? -90 : 50));
  const t = binaryScore(off, y);
  assert.equal(t.auc, 0);
  assert.deepEqual([t.side, t.precision, t.recall], ['below', 1, 1]);
  assert.deepEqual(binaryScore(on, new Uint8Array(8)).auc, 0.5, 'no positives: no information');
});

test('correlation equals Pearson\'s r computed directly', () => {
  const r = rng(9);
  const x = Int8Array.from({ length: 500 }, () => Math.round((r() - 0.5) * 200));
  const f = Float32Array.from(x, (v) => v * 0.3 + (r() - 0.5) * 40);
  const n = x.length;
  const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / n;
  const mx = mean(x);
  const mf = mean(f);
  let sxy = 0;
  let sxx = 0;
  let sff = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((f[i] as number) - mf);
    sxx += ((x[i] as number) - mx) ** 2;
    sff += ((f[i] as number) - mf) ** 2;
  }
  assert.ok(Math.abs(correlation(x, f) - sxy / Math.sqrt(sxx * sff)) < 1e-9);
  assert.equal(correlation(x, new Float32Array(n)), 0, 'a constant feature correlates with nothing');
});
