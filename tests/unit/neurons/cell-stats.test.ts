import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernels } from '../../../models/fused/kernels.ts';
import { CellStatsAccumulator, HIST_RANGE, MAX_CHAR_MEAN_SUMS, MIN_SEPARATION, SEGMENT, TOP_EXAMPLES } from '../../../lib/neurons/cell-stats.ts';

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** [H][T] values: cell 0 a gate-like value, cell 1 follows the feature, cell 2 wide and spiky. */
function fixture(T: number) {
  const r = rng(7);
  const chars = ['a', 'b', 'c', '"'];
  const ids = Int32Array.from({ length: T }, () => Math.floor(r() * 4));
  const feature = Float32Array.from({ length: T }, (_, t) => ((t >> 5) % 3 === 0 ? 1 : 0));
  const H = 3;
  const values = new Float32Array(H * T);
  for (let t = 0; t < T; t++) {
    values[t] = r();
    values[T + t] = (feature[t] as number) * 0.8 + 0.2 * r() - 0.1 + (ids[t] === 3 ? 0.5 : 0);
    values[2 * T + t] = (r() - 0.5) * 4 + (t === 777 ? 20 : 0) + (t === 1500 ? -12 : 0);
  }
  return { chars, ids, feature, H, values };
}

/** Timestep-major rows [e-s][H] of cell-major values [H][T], as the recording stores them. */
function rowsOf(values: Float32Array, H: number, T: number, s: number, e: number): Float32Array {
  const out = new Float32Array(H * (e - s));
  for (let t = s; t < e; t++) for (let c = 0; c < H; c++) out[(t - s) * H + c] = values[c * T + t] as number;
  return out;
}

test('cell stats over blocks equal a direct computation: moments, saturation, histogram, character means, feature correlation', () => {
  const T = 2000;
  const { chars, ids, feature, H, values } = fixture(T);
  for (const gate of [true, false]) {
    const acc = new CellStatsAccumulator(H, gate, ids, chars, [{ name: 'f', track: feature }]);
    // Two blocks (the first a multiple of SEGMENT long), as the recording pass hands them over.
    const split = 1024;
    acc.addRows(rowsOf(values, H, T, 0, split), split, 0);
    acc.addRows(rowsOf(values, H, T, split, T), T - split, split);
    const stats = acc.finish();
    for (let c = 0; c < H; c++) {
      const col = Array.from(values.subarray(c * T, (c + 1) * T));
      const mean = col.reduce((a, b) => a + b, 0) / T;
      const std = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / T);
      const s = stats[c]!;
      assert.ok(Math.abs(s.mean - mean) < 1e-9 && Math.abs(s.std - std) < 1e-6, `cell ${c} moments`);
      assert.equal(s.min, Math.min(...col));
      assert.equal(s.max, Math.max(...col));
      assert.equal(s.low, col.filter((v) => v < (gate ? 0.1 : -0.9)).length / T);
      assert.equal(s.high, col.filter((v) => v > 0.9).length / T);
      assert.equal(s.hist.counts.reduce((a, b) => a + b, 0), T, 'every step in one bin');
      // Every value inside the histogram's span lands in its bin.
      const lo = gate ? 0 : -HIST_RANGE;
      const hi = gate ? 1 : HIST_RANGE;
      const inRange = col.filter((v) => v >= lo && v < hi);
      for (const v of inRange.slice(0, 50)) {
        const b = Math.floor((v - s.hist.lo) / s.hist.width + 1e-9);
        assert.ok(b >= 0 && b < s.hist.counts.length && (s.hist.counts[b] ?? 0) > 0);
      }
      // Character means.
      for (const e of [...s.charsHigh, ...s.charsLow]) {
        const k = chars.indexOf(e.char);
        const sel = col.filter((_, t) => ids[t] === k);
        assert.equal(e.count, sel.length);
        assert.ok(Math.abs(e.mean - sel.reduce((a, b) => a + b, 0) / sel.length) < 1e-9);
      }
      // Pearson r against a direct computation.
      const fm = Array.from(feature).reduce((a, b) => a + b, 0) / T;
      let num = 0;
      let dv = 0;
      let df = 0;
      col.forEach((v, t) => {
        num += (v - mean) * ((feature[t] as number) - fm);
        dv += (v - mean) ** 2;
        df += ((feature[t] as number) - fm) ** 2;
      });
      assert.ok(Math.abs((s.features[0]?.r ?? 0) - num / Math.sqrt(dv * df)) < 1e-6, `cell ${c} correlation`);
    }
    assert.ok((stats[1]!.features[0]?.r ?? 0) > 0.8, 'the cell built to follow the feature correlates with it');
    assert.equal(stats[1]!.charsHigh[0]?.char, '"', 'the cell is highest after the character that adds to it');
  }
});

test('top and bottom examples: the strongest positions, strongest first, kept apart', () => {
  const T = 2000;
  const { chars, ids, H, values } = fixture(T);
  const allocated = kernels().allocatedBytes();
  const acc = new CellStatsAccumulator(H, false, ids, chars, []);
  acc.addRows(rowsOf(values, H, T, 0, T), T, 0);
  const s = acc.finish()[2]!;
  assert.equal(kernels().allocatedBytes(), allocated, 'finish frees the kernel memory');
  assert.equal(s.top[0]?.pos, 777);
  assert.equal(s.bottom[0]?.pos, 1500);
  assert.equal(s.top.length, TOP_EXAMPLES);
  for (const list of [s.top, s.bottom]) {
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) assert.ok(Math.abs(list[i]!.pos - list[j]!.pos) >= MIN_SEPARATION);
  }
  for (let i = 1; i < s.top.length; i++) assert.ok(s.top[i - 1]!.value >= s.top[i]!.value);
  // Each example is the true maximum of its neighbourhood of one segment.
  for (const e of s.top) {
    const seg = Math.floor(e.pos / SEGMENT) * SEGMENT;
    assert.equal(e.value, Math.max(...values.subarray(2 * T + seg, 2 * T + seg + SEGMENT)));
  }
  assert.equal(s.features.length, 0);
  const again = new CellStatsAccumulator(H, false, ids, chars, []);
  assert.throws(() => again.addRows(values.subarray(0, 3 * 10), 10, 5), /not a multiple of 32/);
  again.dispose();
  assert.throws(() => acc.finish(), /already finished/);
});

test('a vocabulary too large for per-token means skips them and keeps every other statistic', () => {
  const T = 256;
  const H = 4;
  const V = Math.floor(MAX_CHAR_MEAN_SUMS / H) + 1;
  const ids = Int32Array.from({ length: T }, (_, t) => (t * 7919) % V);
  const chars = { length: V } as unknown as string[]; // only its length is read for a vocabulary this large
  const values = Float32Array.from({ length: T * H }, (_, i) => Math.sin(i));
  const big = new CellStatsAccumulator(H, false, ids, chars, []);
  big.addRows(values, T, 0);
  const small = new CellStatsAccumulator(H, false, ids.map((id) => id % 5), ['a', 'b', 'c', 'd', 'e'], []);
  small.addRows(values, T, 0);
  const [a, b] = [big.finish()[1]!, small.finish()[1]!];
  assert.deepEqual(a.charsHigh, []);
  assert.deepEqual(a.charsLow, []);
  assert.ok(b.charsHigh.length > 0);
  assert.deepEqual([a.mean, a.std, a.min, a.max, a.low, a.high, a.hist, a.top], [b.mean, b.std, b.min, b.max, b.low, b.high, b.hist, b.top]);
});
