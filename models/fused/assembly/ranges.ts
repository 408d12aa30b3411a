// Scoring of candidate ranges for LSTMVis-style match (lib/search/match.ts): for each range
// [start, end) of a bit-packed recording (rows: step-major on/off bits, R u32 words per step),
// AND the rows of the range (AND NOT the step before / after when those constraints are set and
// the step exists), then count the set bits, and those also in the selection's mask.
//   ranges [n, 2] i32 (start, end);  out [n, 2] i32 (active, intersection);  acc: R words scratch.

@inline function popcnt4(v: v128): v128 {
  return i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(i8x16.popcnt(v)));
}

export function scoreRanges(n: i32, R: i32, T: i32, rows: usize, ranges: usize, selMask: usize, offBefore: i32, offAfter: i32, out: usize, acc: usize): void {
  const rowBytes = <usize>R << 2;
  const vecBytes = <usize>(R & ~3) << 2;
  for (let q = 0; q < n; q++) {
    const start = load<i32>(ranges + (<usize>q << 3));
    const end = load<i32>(ranges + (<usize>q << 3), 4);
    memory.copy(acc, rows + <usize>start * rowBytes, rowBytes);
    for (let t = start + 1; t < end; t++) {
      const row = rows + <usize>t * rowBytes;
      let j: usize = 0;
      for (; j < vecBytes; j += 16) v128.store(acc + j, v128.and(v128.load(acc + j), v128.load(row + j)));
      for (; j < rowBytes; j += 4) store<u32>(acc + j, load<u32>(acc + j) & load<u32>(row + j));
    }
    if (offBefore != 0 && start > 0) {
      const row = rows + <usize>(start - 1) * rowBytes;
      for (let j: usize = 0; j < rowBytes; j += 4) store<u32>(acc + j, load<u32>(acc + j) & ~load<u32>(row + j));
    }
    if (offAfter != 0 && end < T) {
      const row = rows + <usize>end * rowBytes;
      for (let j: usize = 0; j < rowBytes; j += 4) store<u32>(acc + j, load<u32>(acc + j) & ~load<u32>(row + j));
    }
    let active4 = i32x4.splat(0);
    let inter4 = i32x4.splat(0);
    let j: usize = 0;
    for (; j < vecBytes; j += 16) {
      const a = v128.load(acc + j);
      active4 = i32x4.add(active4, popcnt4(a));
      inter4 = i32x4.add(inter4, popcnt4(v128.and(a, v128.load(selMask + j))));
    }
    let active = i32x4.extract_lane(active4, 0) + i32x4.extract_lane(active4, 1) + i32x4.extract_lane(active4, 2) + i32x4.extract_lane(active4, 3);
    let inter = i32x4.extract_lane(inter4, 0) + i32x4.extract_lane(inter4, 1) + i32x4.extract_lane(inter4, 2) + i32x4.extract_lane(inter4, 3);
    for (; j < rowBytes; j += 4) {
      const a = load<u32>(acc + j);
      active += <i32>popcnt<u32>(a);
      inter += <i32>popcnt<u32>(a & load<u32>(selMask + j));
    }
    store<i32>(out + (<usize>q << 3), active);
    store<i32>(out + (<usize>q << 3), inter, 4);
  }
}
