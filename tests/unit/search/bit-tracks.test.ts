import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendRows, buildBitTracks, emptyBitTracks, isOn, onThroughout, popcount } from '../../../lib/search/bit-tracks.ts';

test('bit tracks hold each cell on/off (value >= threshold) at every step, across word boundaries', () => {
  const T = 70;
  const H = 3;
  const values = Float32Array.from({ length: T * H }, (_, i) => Math.sin(i * 0.37));
  const tracks = buildBitTracks(values, T, H, 0.2);
  assert.equal(tracks.W, 3);
  for (let t = 0; t < T; t++) for (let c = 0; c < H; c++) assert.equal(isOn(tracks, c, t), (values[t * H + c] as number) >= 0.2, `t ${t} cell ${c}`);
  // Exactly at the threshold counts as on.
  assert.equal(isOn(buildBitTracks(Float32Array.of(0.5), 1, 1, 0.5), 0, 0), true);
  assert.throws(() => buildBitTracks(values, T, H + 1, 0.2), /expected 70 x 4/);
});

test('onThroughout agrees with a step-by-step check for every range, including whole words', () => {
  const T = 100;
  const values = Float32Array.from({ length: T }, (_, t) => (t % 37 === 5 ? 0 : 1));
  const tracks = buildBitTracks(values, T, 1, 0.5);
  for (let a = 0; a < T; a++) {
    for (let b = a + 1; b <= T; b++) {
      let want = true;
      for (let t = a; t < b; t++) want &&= isOn(tracks, 0, t);
      assert.equal(onThroughout(tracks, 0, a, b), want, `[${a}, ${b})`);
    }
  }
});

test('appendRows builds the same tracks block by block as in one go', () => {
  const T = 90;
  const H = 5;
  const values = Float32Array.from({ length: T * H }, (_, i) => Math.cos(i * 1.3));
  const whole = buildBitTracks(values, T, H, 0.1);
  const parts = emptyBitTracks(T, H, 0.1);
  for (let t0 = 0; t0 < T; t0 += 32) {
    const rows = Math.min(32, T - t0);
    appendRows(parts, values.subarray(t0 * H, (t0 + rows) * H), t0, rows);
  }
  assert.deepEqual(Array.from(parts.words), Array.from(whole.words));
  assert.deepEqual(Array.from(parts.rows), Array.from(whole.rows));
});

test('the step-major rows hold the same bits as the cell-major tracks; popcount counts them', () => {
  const T = 40;
  const H = 70;
  const values = Float32Array.from({ length: T * H }, (_, i) => Math.sin(i * 0.11));
  const tracks = buildBitTracks(values, T, H, 0.3);
  assert.equal(tracks.R, 3);
  for (let t = 0; t < T; t++) {
    let onAtT = 0;
    for (let c = 0; c < H; c++) {
      const bit: number = ((tracks.rows[t * tracks.R + (c >>> 5)] as number) >>> (c & 31)) & 1;
      assert.equal(bit === 1, isOn(tracks, c, t));
      onAtT += bit;
    }
    let counted = 0;
    for (let r = 0; r < tracks.R; r++) counted += popcount(tracks.rows[t * tracks.R + r] as number);
    assert.equal(counted, onAtT);
  }
  assert.equal(popcount(0xffffffff), 32);
  assert.equal(popcount(0), 0);
  assert.equal(popcount(0x80000001), 2);
});
