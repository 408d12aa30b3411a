import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { JACOBIAN_WARM_UP, jacobianSpectrum, stateJacobians } from '../../../lib/dynamics/state-jacobian.ts';
import { jacobianPositionsFor } from '../../../lib/dynamics/jacobian-report.ts';
import { createCharModel, type CharModel } from '../../../models/char-model.ts';
import type { Architecture } from '../../../models/architectures.ts';
import { DEFAULT_CELL_OPTIONS } from '../../../models/architectures.ts';
import { FUSED_LAYERS, fusedStackInfer } from '../../../models/fused/fused-stack.ts';
import { kernels } from '../../../models/fused/kernels.ts';

before(ensureBackend);
const V = 6;
const ids = Int32Array.from({ length: 90 }, (_, k) => (k * 5 + 2) % V);

function model(arch: Architecture): CharModel {
  const m = createCharModel({ arch, layers: 1, hidden: 4, vocabSize: V }, 3);
  for (const [k, name] of (['kernel', 'recurrentKernel', 'bias'] as const).entries()) {
    const v = m.layers[0]?.[name] as tf.Variable;
    v.assign(tf.tensor(Float32Array.from({ length: v.size }, (_, i) => 0.8 * Math.sin(1.9 * i + k)), v.shape));
  }
  return m;
}

/** ∂s_p/∂s_{p−1} by central differences of one step of the layer from the state it had at p − 1. */
function numeric(m: CharModel, p: number): Float64Array {
  const layer = m.layers[0];
  if (!layer) throw new Error('no layer');
  const H = layer.spec.units;
  const names = layer.cell.stateNames;
  const K = JACOBIAN_WARM_UP;
  const zero = Object.fromEntries(names.map((n) => [n, new Float32Array(H)]));
  const run = fusedStackInfer(m, ids.subarray(p - K, p), [zero], K, 1);
  const before = run.states[0] as Record<string, Float32Array>;
  run.passes.forEach((x) => x.release());
  const w = { kernel: layer.kernel.dataSync() as Float32Array, recurrentKernel: layer.recurrentKernel.dataSync() as Float32Array, bias: layer.bias.dataSync() as Float32Array };
  const step = (state: Record<string, Float32Array>): Float64Array => {
    const pass = FUSED_LAYERS[layer.spec.arch](DEFAULT_CELL_OPTIONS)(kernels(), { ids: Int32Array.of(ids[p] as number), vocab: V }, w, state, 1, 1);
    const out = Float64Array.from(names.flatMap((n) => Array.from(pass.final[n] as Float32Array)));
    pass.release();
    return out;
  };
  const S = names.length * H;
  const J = new Float64Array(S * S);
  const eps = 1e-3;
  for (let j = 0; j < S; j++) {
    const nudge = (d: number): Float64Array => {
      const st = Object.fromEntries(names.map((n) => [n, Float32Array.from(before[n] as Float32Array)]));
      const n = names[Math.floor(j / H)] as string;
      (st[n] as Float32Array)[j % H] = ((before[n] as Float32Array)[j % H] as number) + d;
      return step(st);
    };
    const a = nudge(eps);
    const b = nudge(-eps);
    for (let i = 0; i < S; i++) J[i * S + j] = ((a[i] as number) - (b[i] as number)) / (2 * eps);
  }
  return J;
}

for (const arch of ['lstm', 'gru', 'rnn'] as const) {
  test(`${arch}: the state Jacobian at a position equals central finite differences, entry by entry`, () => {
    const m = model(arch);
    const positions = [70, 81];
    const got = stateJacobians(m, ids, 0, positions);
    for (const [k, j] of got.entries()) {
      const want = numeric(m, positions[k] as number);
      assert.equal(j.S, arch === 'lstm' ? 8 : 4);
      j.jacobian.forEach((v, i) => assert.ok(Math.abs(v - (want[i] as number)) < 2e-3, `${arch} entry ${i}: ${v} vs ${want[i]}`));
      const s = jacobianSpectrum(j);
      assert.equal(s.eigenvalues.length, j.S);
      assert.ok(s.spectralRadius >= 0);
    }
  });
}

test('a position before the warm-up is refused', () => {
  assert.throws(() => stateJacobians(model('rnn'), ids, 0, [10]), /must be in 64/);
});

test('a request\'s Jacobian spectra fit the eigenvalue budget: all 200 positions for small states, a few for large ones', () => {
  assert.equal(jacobianPositionsFor(64), 200);
  assert.equal(jacobianPositionsFor(256), 137);
  assert.equal(jacobianPositionsFor(1024), 2);
  assert.equal(jacobianPositionsFor(4096), 1, 'always at least one');
});
