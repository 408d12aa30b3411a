import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { layerNormLstmCell } from '../../../models/lstm.ts';
import { createCharModel, disposeModel, modelVariables, parameterNames } from '../../../models/char-model.ts';
import { exportWeights, loadModel } from '../../../lib/train/model-io.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';

const sig = (v: number): number => 1 / (1 + Math.exp(-v));
function ln(row: number[], gain: number[], shift: number[]): number[] {
  const mean = row.reduce((a, b) => a + b, 0) / row.length;
  const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
  return row.map((v, k) => ((v - mean) / Math.sqrt(variance + 1e-5)) * (gain[k] ?? 0) + (shift[k] ?? 0));
}
const mm = (a: number[][], b: number[][]): number[][] => a.map((r) => (b[0] ?? []).map((_, j) => r.reduce((s, v, k) => s + v * (b[k]?.[j] ?? 0), 0)));

test('layer-normalised LSTM step equals an independent float64 reference (Ba et al.)', async () => {
  await ensureBackend();
  const H = 5;
  const w = layerNormLstmCell.init(4, H, 3);
  // Non-trivial gains and shifts.
  const extras = Object.fromEntries(Object.entries(w.extras ?? {}).map(([k, t], n) => [k, tf.add(t, tf.randomNormal(t.shape, 0, 0.3, 'float32', 10 + n)) as tf.Tensor1D]));
  const x = tf.randomNormal([2, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
  const h0 = tf.randomNormal([2, H], 0, 0.5, 'float32', 2) as tf.Tensor2D;
  const c0 = tf.randomNormal([2, H], 0, 0.5, 'float32', 3) as tf.Tensor2D;
  const out = layerNormLstmCell.step(x, { h: h0, c: c0 }, { ...w, extras });
  const e = Object.fromEntries(Object.entries(extras).map(([k, t]) => [k, Array.from(t.dataSync())]));
  const b = Array.from(w.bias.dataSync());
  const zx = mm(x.arraySync(), w.kernel.arraySync()).map((r) => ln(r, e.gain_x ?? [], e.shift_x ?? []));
  const zh = mm(h0.arraySync(), w.recurrentKernel.arraySync()).map((r) => ln(r, e.gain_h ?? [], e.shift_h ?? []));
  const cPrev = c0.arraySync();
  zx.forEach((rx, bi) => {
    const z = rx.map((v, k) => v + (zh[bi]?.[k] ?? 0) + (b[k] ?? 0));
    const gate = (g: number, k: number): number => z[g * H + k] ?? NaN;
    const c = Array.from({ length: H }, (_, k) => sig(gate(1, k)) * (cPrev[bi]?.[k] ?? 0) + sig(gate(0, k)) * Math.tanh(gate(2, k)));
    const cn = ln(c, e.gain_c ?? [], e.shift_c ?? []);
    const h = c.map((_, k) => sig(gate(3, k)) * Math.tanh(cn[k] ?? 0));
    const gotC = (out.state.c as tf.Tensor2D).arraySync()[bi] ?? [];
    const gotH = (out.state.h as tf.Tensor2D).arraySync()[bi] ?? [];
    c.forEach((v, k) => assert.ok(Math.abs(v - (gotC[k] ?? NaN)) < 1e-5, `c[${bi}][${k}]`));
    h.forEach((v, k) => assert.ok(Math.abs(v - (gotH[k] ?? NaN)) < 1e-5, `h[${bi}][${k}]`));
  });
});

test('layer-norm parameters are checkpointed by name and reload exactly', async () => {
  await ensureBackend();
  const shape = { arch: 'lstm' as const, layers: 2, hidden: 6, vocabSize: 4, options: { depth: 1, coupled: true, spectralRadius: 1, norm: 'layer' as const } };
  const model = createCharModel(shape, 5);
  const names = parameterNames(model);
  assert.ok(names.includes('lstm_1/gain_c'));
  assert.equal(names.length, modelVariables(model).length);
  const back = loadModel(shape, exportWeights(model));
  modelVariables(model).forEach((v, k) => assert.deepEqual(Array.from(modelVariables(back)[k]?.dataSync() ?? []), Array.from(v.dataSync())));
  disposeModel(model);
  disposeModel(back);
  assert.throws(() => parseTrainConfig({ arch: 'gru', norm: 'layer' }), /normalisation are available for the LSTM/);
});
