// Per-cell statistics of a recording (lib/neurons/cell-stats.ts), accumulated over timestep-major
// float32 rows [len][H] as stored (no transposition). For each cell c:
//   sum[c], sq[c] (f64), mn[c], mx[c] (f32), low[c] (< lowAt), high[c] (> 0.9) counts (f64),
//   hist[c][bins] (u32) over bins of width 1/invWidth from lo (clamped to the end bins),
//   charSum[c][V] (f64) by the token read at each step, featSum[c][F] (f64) against F feature
//   tracks feats[F][len];
// and per segment of `seg` steps, its max and min and where (segMax/segMaxAt/segMin/segMinAt
// [nSeg][H], steps counted from the block start).

export function cellStatsRows(
  H: i32, len: i32, rows: usize, ids: usize, V: i32, lowAt: f32, lo: f32, invWidth: f32, bins: i32,
  F: i32, feats: usize, seg: i32,
  sum: usize, sq: usize, mn: usize, mx: usize, lowc: usize, highc: usize, hist: usize, charSum: usize, featSum: usize,
  segMax: usize, segMaxAt: usize, segMin: usize, segMinAt: usize,
): void {
  // One segment of steps at a time, cell by cell: the segment's rows (seg x H floats) stay in
  // cache, and each cell's running sums, extremes and segment peak stay in registers.
  for (let t0 = 0, s = 0; t0 < len; t0 += seg, s++) {
    const t1 = min(len, t0 + seg);
    for (let c = 0; c < H; c++) {
      const c8 = <usize>c << 3;
      const c4 = <usize>c << 2;
      let sm: f64 = 0;
      let sq2: f64 = 0;
      let lo2: f64 = 0;
      let hi2: f64 = 0;
      let vmin = load<f32>(mn + c4);
      let vmax = load<f32>(mx + c4);
      let pMax = load<f32>(rows + ((<usize>(t0 * H + c)) << 2));
      let pMaxAt = t0;
      let pMin = pMax;
      let pMinAt = t0;
      const hrow = hist + (<usize>(c * bins) << 2);
      const crow = charSum + (<usize>(c * V) << 3);
      for (let t = t0; t < t1; t++) {
        const v = load<f32>(rows + ((<usize>(t * H + c)) << 2));
        const cv = <f64>v;
        sm += cv;
        sq2 += cv * cv;
        if (v < vmin) vmin = v;
        if (v > vmax) vmax = v;
        if (v < lowAt) lo2 += 1.0;
        if (v > <f32>0.9) hi2 += 1.0;
        if (v > pMax) {
          pMax = v;
          pMaxAt = t;
        }
        if (v < pMin) {
          pMin = v;
          pMinAt = t;
        }
        let b = <i32>Mathf.floor((v - lo) * invWidth);
        b = b < 0 ? 0 : b >= bins ? bins - 1 : b;
        const hp = hrow + (<usize>b << 2);
        store<u32>(hp, load<u32>(hp) + 1);
        const cp = crow + (<usize>load<i32>(ids + (<usize>t << 2)) << 3);
        store<f64>(cp, load<f64>(cp) + cv);
      }
      store<f64>(sum + c8, load<f64>(sum + c8) + sm);
      store<f64>(sq + c8, load<f64>(sq + c8) + sq2);
      store<f64>(lowc + c8, load<f64>(lowc + c8) + lo2);
      store<f64>(highc + c8, load<f64>(highc + c8) + hi2);
      store<f32>(mn + c4, vmin);
      store<f32>(mx + c4, vmax);
      const so = (<usize>(s * H + c)) << 2;
      store<f32>(segMax + so, pMax);
      store<i32>(segMaxAt + so, pMaxAt);
      store<f32>(segMin + so, pMin);
      store<i32>(segMinAt + so, pMinAt);
      for (let f = 0; f < F; f++) {
        const tr = feats + (<usize>(f * len) << 2);
        let acc: f64 = 0;
        for (let t = t0; t < t1; t++) {
          acc += <f64>load<f32>(tr + (<usize>t << 2)) * <f64>load<f32>(rows + ((<usize>(t * H + c)) << 2));
        }
        const fp = featSum + (<usize>(c * F + f) << 3);
        store<f64>(fp, load<f64>(fp) + acc);
      }
    }
  }
}
