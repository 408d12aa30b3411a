import assert from 'node:assert/strict';
import type { CellSpec } from '../../../../models/cell-spec.ts';
import { kernels } from '../../../../models/fused/kernels.ts';
import type { LayerForward, LayerPass } from '../../../../models/fused/layer-pass.ts';
import { maxAbsDiff, randomProblem, tfjsReference, type Problem } from './tfjs-reference.ts';

function inputOf(p: Problem) {
  return p.ids ? { ids: p.ids, vocab: p.In } : { x: p.x as Float32Array, dim: p.In };
}

function forward(layer: LayerForward, p: Problem): LayerPass {
  return layer(kernels(), inputOf(p), p, p.state0, p.T, p.B);
}

/** Outputs within 1e-5 and gradients within 1e-4 of the tfjs cell, and no kernel memory leaked. */
export function checkAgainstTfjs(spec: CellSpec, layer: LayerForward, T: number, B: number, H: number, In: number, dense: boolean): void {
  const before = kernels().allocatedBytes();
  const p = randomProblem(spec, T, B, H, In, dense, 17 + H + T);
  const ref = tfjsReference(spec, p);
  const pass = forward(layer, p);
  assert.ok(maxAbsDiff(pass.hs, ref.hs) < 1e-5, `hs differ by ${maxAbsDiff(pass.hs, ref.hs)}`);
  for (const n of spec.stateNames) {
    const d = maxAbsDiff(pass.final[n] as Float32Array, ref.final[n] as Float32Array);
    assert.ok(d < 1e-5, `final ${n} differs by ${d}`);
  }
  for (const q of spec.quantities) {
    const d = maxAbsDiff(pass.quantity(q), ref.quantities[q] as Float32Array);
    assert.ok(d < 1e-5, `quantity ${q} differs by ${d}`);
  }
  const grads = pass.backward(p.dh, p.dFinal);
  const pairs: [string, Float32Array | undefined, Float32Array | undefined][] = [
    ['kernel', grads.kernel, ref.grads.kernel],
    ['recurrentKernel', grads.recurrentKernel, ref.grads.recurrentKernel],
    ['bias', grads.bias, ref.grads.bias],
    ...spec.stateNames.map((n) => [`${n}0`, grads.state0[n], ref.grads[`${n}0`]] as [string, Float32Array | undefined, Float32Array | undefined]),
    ...(dense ? [['x', grads.x, ref.grads.x] as [string, Float32Array | undefined, Float32Array | undefined]] : []),
  ];
  for (const [name, a, b] of pairs) {
    const d = maxAbsDiff(a ?? new Float32Array(), b ?? new Float32Array(1));
    assert.ok(d < 1e-4, `gradient of ${name} differs by ${d}`);
  }
  assert.equal(kernels().allocatedBytes(), before, 'every kernel buffer is released');
}

/**
 * L(θ) = Σ hs ⊙ dh + Σ final ⊙ dFinal, in float64 from the fused forward pass, and which side
 * of zero every pre-activation `a` lies (ReLU cells): a difference across a kink is no derivative.
 */
function lossOf(layer: LayerForward, spec: CellSpec, p: Problem): { loss: number; signs: string } {
  const pass = forward(layer, p);
  let loss = 0;
  pass.hs.forEach((v, i) => (loss += v * (p.dh[i] as number)));
  for (const n of spec.stateNames) (pass.final[n] as Float32Array).forEach((v, i) => (loss += v * ((p.dFinal[n] as Float32Array)[i] as number)));
  const signs = spec.quantities.includes('a') ? Array.from(pass.quantity('a'), (v) => (v > 0 ? '1' : '0')).join('') : '';
  pass.release();
  return { loss, signs };
}

/**
 * The hand-written backward pass against central finite differences of the fused forward pass,
 * on a few entries of every parameter and of the dense input and initial state.
 */
export function checkFiniteDifferences(spec: CellSpec, layer: LayerForward, T: number, B: number, H: number, In: number): void {
  const p = randomProblem(spec, T, B, H, In, true, 99 + H);
  const grads = forward(layer, p).backward(p.dh, p.dFinal);
  const eps = 1e-2;
  const targets: [string, Float32Array, Float32Array][] = [
    ['kernel', p.kernel, grads.kernel],
    ['recurrentKernel', p.recurrentKernel, grads.recurrentKernel],
    ['bias', p.bias, grads.bias],
    ['x', p.x as Float32Array, grads.x as Float32Array],
    ...spec.stateNames.map((n) => [`${n}0`, p.state0[n], grads.state0[n]] as [string, Float32Array, Float32Array]),
  ];
  for (const [name, values, analytic] of targets) {
    let checked = 0;
    for (let probe = 0; probe < 8; probe++) {
      const i = (probe * 7919 + 13) % values.length;
      const keep = values[i] as number;
      values[i] = keep + eps;
      const up = lossOf(layer, spec, p);
      values[i] = keep - eps;
      const down = lossOf(layer, spec, p);
      values[i] = keep;
      if (up.signs !== down.signs) continue;
      checked++;
      const numeric = (up.loss - down.loss) / (2 * eps);
      const a = analytic[i] as number;
      assert.ok(Math.abs(numeric - a) <= 2e-3 + 2e-3 * Math.abs(numeric), `${name}[${i}]: analytic ${a}, finite differences ${numeric}`);
    }
    assert.ok(checked >= 4, `${name}: only ${checked} probes away from a ReLU kink`);
  }
}
