import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportedModel } from '../../lib/import/imported-model.ts';
import { ensureBackend, tf } from '../../lib/tf/backend.ts';
import { loadModel } from '../../lib/train/model-io.ts';
import { encodeNamedArrays } from '../../lib/train/weights-codec.ts';
import { disposeModel, outputLogits, topUnits } from '../../models/char-model.ts';
import { createSequenceRunner } from '../../models/sequence-runner.ts';
import { runWholeSequences } from '../../models/whole-sequence.ts';

/**
 * PyTorch's forward pass over a few tokens (tests/fixtures/torch/forward.json, written by
 * make_fixtures.py): every layer's h (and an LSTM's c) after every step, and the log-probabilities
 * of the next token. An imported model must compute the same within 1e-5, whichever file (.pt,
 * .safetensors, .onnx) its weights came from.
 */
export type Forward = { ids: number[]; layers: { h: number[][]; c?: number[][] }[]; logp: number[][] };
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'torch');
export const FORWARD = JSON.parse(readFileSync(join(FIXTURES, 'forward.json'), 'utf8')) as Record<string, Forward>;

/** The imported model's states and log-probabilities against PyTorch's forward pass, on both engines. */
export async function computesForward(imported: ImportedModel, want: Forward, file: string): Promise<string[]> {
  await ensureBackend();
  const model = loadModel(imported.shape, encodeNamedArrays(imported.weights));
  const before = tf.memory().numTensors;
  try {
    for (const engine of ['fused', 'tfjs'] as const) {
      const runner = createSequenceRunner(model, 1, engine);
      const K = want.ids.length;
      const out = runner.run(Int32Array.from(want.ids), K, true);
      let worst = 0;
      want.layers.forEach((layer, l) => {
        for (const q of ['h', 'c'] as const) {
          const expected = layer[q];
          if (!expected) continue;
          const layerOf = model.layers[l];
          assert.ok(layerOf, `the model has a layer ${l}`);
          const H = layerOf.spec.units;
          assert.equal(expected[0]?.length, H, `layer ${l} has PyTorch's ${expected[0]?.length} units`);
          const at = layerOf.cell.quantities.indexOf(q);
          const got = runner.read(out.quantities[l]?.[at] as never, K, H);
          expected.forEach((row, t) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs((got[t * H + j] as number) - v)))));
        }
      });
      assert.ok(worst < 1e-5, `${file} on ${engine}: states within 1e-5 of PyTorch's, worst ${worst}`);
      const logp = tf.tidy(() => tf.logSoftmax(outputLogits(model, tf.tensor2d(out.top, [K, topUnits(model)]))).arraySync() as number[][]);
      const worstP = Math.max(...want.logp.flatMap((row, t) => row.map((v, j) => Math.abs((logp[t]?.[j] as number) - v))));
      assert.ok(worstP < 1e-5, `${file} on ${engine}: log-probabilities within 1e-5, worst ${worstP}`);
      runner.dispose();
    }
  } finally {
    disposeModel(model);
  }
  assert.equal(tf.memory().numTensors, before - imported.weights.length, 'no tensors left behind');
  return imported.warnings;
}

/**
 * A bidirectional import against PyTorch's forward pass (forward.json lists every direction as a
 * layer): every layer's h and c, run whole over the fixture's tokens, within 1e-5.
 */
export function computesBidirectionalForward(imported: ImportedModel, want: Forward, file: string): void {
  const model = loadModel(imported.shape, encodeNamedArrays(imported.weights));
  try {
    const { quantities } = runWholeSequences(model, [Int32Array.from(want.ids)]);
    let worst = 0;
    want.layers.forEach((layer, l) => {
      const of = model.layers[l];
      assert.ok(of, `the model has a layer ${l}`);
      const H = of.spec.units;
      for (const q of ['h', 'c'] as const) {
        const got = quantities[l]?.[of.cell.quantities.indexOf(q)] as Float32Array;
        layer[q]?.forEach((row, t) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs((got[t * H + j] as number) - v)))));
      }
    });
    assert.ok(worst < 1e-5, `${file}: every direction within 1e-5 of PyTorch's, worst ${worst}`);
  } finally {
    disposeModel(model);
  }
}
