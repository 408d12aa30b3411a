/** The cell finder's measures by their definitions, for checking the fast ones (tests only). */

/** AUC by comparing every inside value with every outside value (ties half). */
export function bruteAuc(x: ArrayLike<number>, inside: ArrayLike<number>): number {
  let u = 0;
  let pairs = 0;
  for (let i = 0; i < x.length; i++) {
    if (!inside[i]) continue;
    for (let j = 0; j < x.length; j++) {
      if (inside[j]) continue;
      pairs++;
      u += (x[i] as number) > (x[j] as number) ? 1 : x[i] === x[j] ? 0.5 : 0;
    }
  }
  return u / pairs;
}

/** Pearson's r in float64, two passes. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / n;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += ((x[i] as number) - mx) * ((y[i] as number) - my);
    sxx += ((x[i] as number) - mx) ** 2;
    syy += ((y[i] as number) - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
