import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBitTracks } from '../../../lib/search/bit-tracks.ts';
import { atLeast, countPlanes, forEachRun, matchTracks } from '../../../lib/search/match.ts';
import { naiveMatch } from '../../../lib/search/naive-match.ts';
import type { MatchOptions } from '../../../lib/search/match-types.ts';
import { tracksOf } from './tracks-of.ts';

test('count planes and "at least k" equal a per-step count of the selected cells', () => {
  const T = 100;
  const H = 9;
  const values = Float32Array.from({ length: T * H }, (_, i) => ((i * 7919) % 13) / 13);
  const tracks = buildBitTracks(values, T, H, 0.4);
  const cells = [0, 2, 3, 5, 6, 8, 1];
  const planes = countPlanes(tracks, cells);
  const mask = new Uint32Array(tracks.W);
  for (let k = 1; k <= cells.length; k++) {
    atLeast(planes, k, mask);
    for (let t = 0; t < T; t++) {
      const count = cells.filter((c) => (values[t * H + c] as number) >= 0.4).length;
      assert.equal(((mask[t >>> 5] as number) >>> (t & 31)) & 1, count >= k ? 1 : 0, `k ${k} t ${t}`);
    }
  }
});

test('runs of set bits, across words and up to the end', () => {
  const mask = new Uint32Array(3);
  const runs: [number, number][] = [];
  // bits 3-4, 30-40, 64-70 (end)
  for (const [a, b] of [[3, 5], [30, 41], [64, 71]]) for (let t = a as number; t < (b as number); t++) mask[t >>> 5] = ((mask[t >>> 5] as number) | (1 << (t & 31))) >>> 0;
  forEachRun(mask, 71, (a, b) => runs.push([a, b]));
  assert.deepEqual(runs, [[3, 5], [30, 41], [64, 71]]);
});

test('match on a hand-made recording: intersection, union, length, and both constraints', () => {
  // Selected cells 0 and 1 are on together at [2, 5) and [9, 12); cell 2 is also on at [9, 12).
  // [14, 16) has only cell 0 on.
  const { tracks, values, T, H } = tracksOf([
    '00111000011100110',
    '00111000011100000',
    '00000000011100000',
    '01111100000000000',
  ]);
  const o: MatchOptions = { selectionLength: 3 };
  const got = matchTracks(tracks, [0, 1], o).matches;
  assert.deepEqual(got.map((m) => [m.start, m.end, m.intersection, m.union]), [
    [2, 5, 2, 3], // cell 3 is on across [2, 5) too: union 3 ...
    [9, 12, 2, 3], // ... and cell 2 across [9, 12): the same scores, the earlier one first
    [14, 16, 1, 2],
  ]);
  assert.ok(Math.abs((got[0]?.jaccard ?? 0) - 2 / 3) < 1e-12);
  // Off-before: cell 3 was already on at step 1, so it no longer counts for [2, 5).
  const before = matchTracks(tracks, [0, 1], { ...o, offBefore: true }).matches;
  assert.deepEqual(before.slice(0, 2).map((m) => [m.start, m.union]), [[2, 2], [9, 3]]);
  // Off-after: cell 3 stays on at step 5.
  assert.deepEqual(matchTracks(tracks, [0, 1], { ...o, offAfter: true }).matches[0]?.union, 2);
  // Exact length 2 keeps only [14, 16); a minimum of 3 drops it.
  assert.deepEqual(matchTracks(tracks, [0, 1], { ...o, exactLength: 2 }).matches.map((m) => m.start), [14]);
  assert.deepEqual(matchTracks(tracks, [0, 1], { ...o, minLength: 3 }).matches.map((m) => m.start), [2, 9]);
  assert.deepEqual(naiveMatch(values, T, H, 0.5, [0, 1], o).matches, got);
});

test('match at the corpus edges: runs touching step 0 and the last step', () => {
  const { tracks, values, T, H } = tracksOf(['1100011', '1100011', '1111111']);
  const o = { selectionLength: 2, offBefore: true, offAfter: true };
  const got = matchTracks(tracks, [0, 1], o).matches;
  assert.deepEqual(got.map((m) => [m.start, m.end, m.intersection, m.union]), [[0, 2, 2, 2], [5, 7, 2, 2]]);
  assert.deepEqual(naiveMatch(values, T, H, 0.5, [0, 1], o).matches, got);
});

test('no selected cells: no matches; pagination continues the same ranking', () => {
  const { tracks } = tracksOf(['0110110110', '0110110110']);
  assert.deepEqual(matchTracks(tracks, [], { selectionLength: 2 }).matches, []);
  const all = matchTracks(tracks, [0, 1], { selectionLength: 2, limit: 10 }).matches;
  const page2 = matchTracks(tracks, [0, 1], { selectionLength: 2, limit: 1, offset: 1 }).matches;
  assert.deepEqual(page2, all.slice(1, 2));
});

test('the fast match equals the naive full scan on random recordings and selections', () => {
  let seed = 7;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let trial = 0; trial < 40; trial++) {
    const T = 50 + Math.floor(rand() * 400);
    const H = 4 + Math.floor(rand() * 40);
    // Persistent on/off runs, like real cells, so candidates have structure.
    const values = new Float32Array(T * H);
    for (let c = 0; c < H; c++) {
      let v = rand();
      for (let t = 0; t < T; t++) {
        if (rand() < 0.15) v = rand();
        values[t * H + c] = v * 2 - 1;
      }
    }
    const threshold = [0, 0.2, 0.5][trial % 3] as number;
    const tracks = buildBitTracks(values, T, H, threshold);
    const k = 1 + Math.floor(rand() * Math.min(8, H));
    const cells = [...new Set(Array.from({ length: k }, () => Math.floor(rand() * H)))];
    const o: MatchOptions = {
      selectionLength: 2 + Math.floor(rand() * 10),
      offBefore: rand() < 0.5,
      offAfter: rand() < 0.3,
      limit: 1 + Math.floor(rand() * 30),
      offset: rand() < 0.3 ? Math.floor(rand() * 5) : 0,
      ...(rand() < 0.2 ? { exactLength: 2 + Math.floor(rand() * 4) } : {}),
      ...(rand() < 0.2 ? { minLength: 1 + Math.floor(rand() * 4), maxLength: 6 + Math.floor(rand() * 20) } : {}),
      // A corpus of sequences: runs are cut at their starts.
      ...(rand() < 0.4 ? { boundaries: Int32Array.from(new Set(Array.from({ length: 1 + Math.floor(rand() * 12) }, () => Math.floor(rand() * T)))).sort() } : {}),
    };
    assert.deepEqual(matchTracks(tracks, cells, o).matches, naiveMatch(values, T, H, threshold, cells, o).matches, `trial ${trial}`);
  }
});

test('the length histogram counts every run with all selected cells on, whatever the length options', () => {
  const { tracks } = tracksOf(['0110111011111', '0111111011110']);
  // Both on at [1, 3), [4, 7), [8, 12): lengths 2, 3, 4.
  const r = matchTracks(tracks, [0, 1], { selectionLength: 2, exactLength: 4 });
  assert.deepEqual([r.lengths?.[2], r.lengths?.[3], r.lengths?.[4]], [1, 1, 1]);
  assert.equal(r.lengths?.reduce((a, b) => a + b, 0), 3);
  assert.deepEqual(r.matches.map((m) => [m.start, m.end]), [[8, 12]]);
});

test('a corpus of sequences: a match never spans two, and a sequence\'s edge counts as off', () => {
  // Both cells on over [2, 9); a sequence starts at 5.
  const { tracks, values, T, H } = tracksOf(['0011111110', '0011111110']);
  const o: MatchOptions = { selectionLength: 3, offBefore: true, offAfter: true, boundaries: Int32Array.from([5]) };
  const got = matchTracks(tracks, [0, 1], o).matches.map((m) => [m.start, m.end, m.intersection]);
  assert.deepEqual(got, [[2, 5, 2], [5, 9, 2]], 'the run is cut at 5, and both halves pass off-before / off-after at the cut');
  assert.deepEqual(naiveMatch(values, T, H, 0.5, [0, 1], o).matches, matchTracks(tracks, [0, 1], o).matches);
  const whole = matchTracks(tracks, [0, 1], { selectionLength: 3, offBefore: true, offAfter: true }).matches.map((m) => [m.start, m.end]);
  assert.deepEqual(whole, [[2, 9]], 'without sequences it is one run');
});
