import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockWords, levelOf, levelThreshold, TRACK_LEVELS } from '../../../lib/search/track-store.ts';

test('block words: bit t of cell c at level l is set exactly when the value reaches l / 10, for any block length', () => {
  for (const len of [1, 3, 4, 31, 32, 33, 64, 100, 131]) {
    const H = 3;
    const values = Float32Array.from({ length: H * len }, (_, i) => Math.sin(i * 0.7) * 1.1);
    // Exact level values count as on.
    values[0] = 0.3;
    const words = blockWords(values, H, len);
    const Wb = Math.ceil(len / 32);
    TRACK_LEVELS.forEach((level, l) => {
      const th = Math.fround(levelThreshold(level));
      for (let c = 0; c < H; c++) {
        for (let w = 0; w < Wb; w++) {
          let want = 0;
          for (let b = 0; b < 32 && w * 32 + b < len; b++) if ((values[c * len + w * 32 + b] as number) >= th) want |= 1 << b;
          assert.equal(words[l]?.[c * Wb + w], want >>> 0, `len ${len} level ${level} cell ${c} word ${w}`);
        }
      }
    });
  }
});

test('threshold levels: 0.1 ... 0.9 are indexed, other thresholds are not', () => {
  assert.equal(levelOf(0.3), 3);
  assert.equal(levelOf(0.1 + 0.2), 3, 'float noise in 0.1 + 0.2 still names level 3');
  assert.equal(levelOf(0.35), undefined);
  assert.equal(levelOf(0), undefined);
  assert.equal(levelOf(1), undefined);
});
