// Vectorised exp, sigmoid and tanh over four f32 lanes for the fused cells. exp is Cephes' expf:
// x = n ln2 + r with |r| <= ln2 / 2, a degree-6 polynomial for e^r, and 2^n built in the exponent
// bits; relative error about 2e-7 over the clamped range [-87, 88], far inside the 1e-5 the cells
// are tested to. tanh(x) = 2 σ(2x) - 1 loses relative (not absolute) precision near 0, which the
// cells' absolute tolerances allow.

@inline export function expv(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const r2 = f32x4.mul(r, r);
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2n);
}

@inline export function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

@inline export function tanhv(x: v128): v128 {
  const one = f32x4.splat(1.0);
  const two = f32x4.splat(2.0);
  return f32x4.sub(f32x4.div(two, f32x4.add(one, expv(f32x4.mul(x, f32x4.splat(-2.0))))), one);
}

@inline export function relu(x: v128): v128 {
  return f32x4.max(x, f32x4.splat(0));
}
