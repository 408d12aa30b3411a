import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledByRange, softMatch } from '../../../lib/search/soft-match.ts';

/** Cosine of two windows in float64, the definition. */
function cosine(cols: Float32Array, T: number, C: number, a: number, b: number, L: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < C; c++) {
    for (let j = 0; j < L; j++) {
      const x = cols[c * T + a + j] as number;
      const y = cols[c * T + b + j] as number;
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

test('soft match: cosine of every window with the selection, best first, windows never overlapping', () => {
  const T = 300;
  const C = 3;
  let seed = 5;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const cols = Float32Array.from({ length: C * T }, rand);
  // Plant a scaled copy of the selection [40, 46) at 200: cosine 1 there.
  for (let c = 0; c < C; c++) for (let j = 0; j < 6; j++) cols[c * T + 200 + j] = 0.5 * (cols[c * T + 40 + j] as number);
  const got = softMatch(cols, { T, C, start: 40, end: 46, limit: 10 });
  assert.deepEqual(got.slice(0, 2).map((m) => m.start).sort((a, b) => a - b), [40, 200]);
  assert.ok(Math.abs((got[1]?.score ?? 0) - 1) < 1e-5);
  for (const m of got) assert.ok(Math.abs(m.score - cosine(cols, T, C, m.start, 40, 6)) < 1e-5, `score at ${m.start}`);
  for (let i = 1; i < got.length; i++) assert.ok((got[i - 1]?.score ?? 0) >= (got[i]?.score ?? 0));
  got.forEach((a, i) => got.slice(i + 1).forEach((b) => assert.ok(a.end <= b.start || b.end <= a.start, 'no overlap')));
  // The best non-overlapping windows: nothing left out scores above the last one taken but overlaps none.
  const last = got[got.length - 1]?.score ?? 1;
  for (let a = 0; a + 6 <= T; a++) {
    const s = cosine(cols, T, C, a, 40, 6);
    if (s > last + 1e-6) assert.ok(got.some((m) => a < m.end && m.start < a + 6), `window ${a} (${s}) should overlap a result`);
  }
  assert.deepEqual(softMatch(cols, { T, C, start: 40, end: 46, limit: 3, offset: 2 }), got.slice(2, 5), 'pages continue the ranking');
  assert.deepEqual(softMatch(new Float32Array(C * T), { T, C, start: 40, end: 46, limit: 5 }), [], 'an all-zero selection matches nothing');
});

test('a corpus of sequences: no window crosses a sequence start', () => {
  const T = 60;
  const C = 1;
  const cols = Float32Array.from({ length: T }, (_, t) => Math.sin(t / 3));
  const all = softMatch(cols, { T, C, start: 10, end: 16, limit: 20 });
  const boundaries = Int32Array.from([20, 33, 41]);
  const cut = softMatch(cols, { T, C, start: 10, end: 16, limit: 20, boundaries });
  assert.ok(all.some((m) => [...boundaries].some((b) => m.start < b && b < m.end)), 'without sequences some window crosses one of those steps');
  assert.ok(cut.length > 0 && cut.every((m) => ![...boundaries].some((b) => m.start < b && b < m.end)), 'with them none does');
});

test('scaledByRange: each cell over its own largest |value|, so a counter at −250 and a cell within ±2 weigh alike', () => {
  const cols = Float32Array.from([-256, -64, 0, 128, 2, -1, 0.5, 0, 0, 0, 0, 0]);
  scaledByRange(cols, 3);
  assert.deepEqual(Array.from(cols), [-1, -0.25, 0, 0.5, 1, -0.5, 0.25, 0, 0, 0, 0, 0], 'a silent cell stays 0');
});
