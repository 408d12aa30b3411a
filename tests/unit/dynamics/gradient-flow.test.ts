import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { gradientFlowNorms } from '../../../lib/dynamics/gradient-flow.ts';
import { createCharModel, type CharModel } from '../../../models/char-model.ts';
import type { Architecture } from '../../../models/architectures.ts';
import { FUSED_LAYERS, fusedStackInfer } from '../../../models/fused/fused-stack.ts';
import { kernels } from '../../../models/fused/kernels.ts';
import { DEFAULT_CELL_OPTIONS } from '../../../models/architectures.ts';
import type { LayerInput } from '../../../models/fused/input-projection.ts';

before(ensureBackend);

const V = 7;
const K = 7;
const N = 2;
const ids = Int32Array.from({ length: K * N }, (_, k) => (k * 3 + 1) % V);

function model(arch: Architecture, layers: number, hidden = 4): CharModel {
  const m = createCharModel({ arch, layers, hidden, vocabSize: V }, 3);
  m.layers.forEach((layer, l) => {
    for (const [k, name] of (['kernel', 'recurrentKernel', 'bias'] as const).entries()) {
      const v = layer[name];
      v.assign(tf.tensor(Float32Array.from({ length: v.size }, (_, i) => 0.7 * Math.sin(2.3 * i + 1.1 * k + l)), v.shape));
    }
  });
  return m;
}

/** One layer of `m` over `steps` steps of one stream from `state`: its final state by name. */
function runLayer(m: CharModel, layer: number, input: LayerInput, state: Record<string, Float32Array>, steps: number): Record<string, Float32Array> {
  const l = m.layers[layer];
  if (!l) throw new Error('no layer');
  const fwd = FUSED_LAYERS[l.spec.arch](l.spec.options ?? DEFAULT_CELL_OPTIONS);
  const pass = fwd(kernels(), input, { kernel: l.kernel.dataSync() as Float32Array, recurrentKernel: l.recurrentKernel.dataSync() as Float32Array, bias: l.bias.dataSync() as Float32Array }, state, steps, 1);
  try {
    return { ...pass.final };
  } finally {
    pass.release();
  }
}

/**
 * ‖∂q_t/∂q_{t−d}‖_F of stream n by central differences: the layer's state at step t − d
 * perturbed, the layer alone run on to t with the inputs it had (layer 0 reads the ids; a layer
 * above reads the lower layer's outputs as they were).
 */
function numericNorm(m: CharModel, layer: number, n: number, d: number, q: string): number {
  const zero = m.layers.map((l) => Object.fromEntries(l.cell.stateNames.map((s) => [s, new Float32Array(N * l.spec.units)])));
  const full = fusedStackInfer(m, ids, zero, K, N);
  const target = m.layers[layer];
  if (!target) throw new Error('no layer');
  const H = target.spec.units;
  const names = target.cell.stateNames;
  const start = K - 1 - d;
  const base = Object.fromEntries(names.map((s) => [s, Float32Array.from((full.passes[layer]?.quantity(s) as Float32Array).subarray((start * N + n) * H, (start * N + n + 1) * H))]));
  const below = layer > 0 ? Float32Array.from(full.passes[layer - 1]?.hs ?? []) : null;
  full.passes.forEach((p) => p.release());
  const In = layer > 0 ? (m.layers[layer - 1]?.spec.units ?? 0) : V;
  const input: LayerInput = below
    ? { x: Float32Array.from({ length: d * In }, (_, k) => below[((start + 1 + Math.floor(k / In)) * N + n) * In + (k % In)] as number), dim: In }
    : { ids: Int32Array.from({ length: d }, (_, k) => ids[(start + 1 + k) * N + n] as number), vocab: V };
  const eps = 1e-3;
  let sum = 0;
  for (let k = 0; k < H; k++) {
    const nudged = (delta: number): Float32Array => {
      const state = Object.fromEntries(names.map((s) => [s, Float32Array.from(base[s] as Float32Array)]));
      (state[q] as Float32Array)[k] = ((base[q] as Float32Array)[k] as number) + delta;
      return runLayer(m, layer, input, state, d)[q] as Float32Array;
    };
    const a = nudged(eps);
    const b = nudged(-eps);
    for (let i = 0; i < H; i++) sum += (((a[i] as number) - (b[i] as number)) / (2 * eps)) ** 2;
  }
  return Math.sqrt(sum);
}

for (const [arch, layers, layer] of [['lstm', 1, 0], ['lstm', 2, 1], ['gru', 1, 0], ['rnn', 2, 1], ['irnn', 1, 0]] as const) {
  test(`${arch} layer ${layer} of ${layers}: ‖∂q_t/∂q_{t−d}‖_F equals central finite differences`, () => {
    const m = model(arch, layers);
    const D = 4;
    const flow = gradientFlowNorms(m, ids, K, N, layer, D);
    assert.deepEqual(flow.names, arch === 'lstm' ? ['h', 'c'] : ['h']);
    for (const [qi, q] of flow.names.entries()) {
      for (let d = 1; d <= D; d++) {
        for (let n = 0; n < N; n++) {
          const got = flow.norms[qi]?.[d - 1]?.[n] as number;
          const want = numericNorm(m, layer, n, d, q);
          assert.ok(Math.abs(got - want) <= 2e-3 * Math.max(1, want), `${q} d=${d} stream ${n}: ${got} vs ${want}`);
        }
      }
    }
  });
}
