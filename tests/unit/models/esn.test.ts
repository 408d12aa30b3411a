import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../../../lib/tf/backend.ts';
import { reservoirMatrix, spectralRadius } from '../../../models/esn.ts';
import { buildVocab, encode } from '../../../lib/corpus/vocab.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { trainCharModel, type CheckpointPayload } from '../../../lib/train/trainer.ts';
import { decodeNamedArrays } from '../../../lib/train/weights-codec.ts';

test('spectral radius: diagonal, and a scaled rotation whose eigenvalues are a complex pair', () => {
  assert.ok(Math.abs(spectralRadius(Float64Array.from([0.5, 0, 0, 0, -2, 0, 0, 0, 1]), 3) - 2) < 1e-6);
  const a = 0.7;
  const rot = Float64Array.from([3 * Math.cos(a), -3 * Math.sin(a), 3 * Math.sin(a), 3 * Math.cos(a)]);
  assert.ok(Math.abs(spectralRadius(rot, 2) - 3) < 1e-6);
});

test('a reservoir is scaled to the chosen spectral radius', async () => {
  await ensureBackend();
  const m = reservoirMatrix(40, 0.9, 3);
  const rho = spectralRadius(m, 40, 2000);
  assert.ok(Math.abs(rho - 0.9) < 0.02, `radius ${rho}`);
});

test('an ESN trains its read-out only: the reservoir and input weights do not change', async () => {
  await ensureBackend();
  const text = 'abc abd abe acd ace bcd '.repeat(60);
  const vocab = buildVocab(text);
  const ids = encode(text, vocab);
  const saved: CheckpointPayload[] = [];
  const config = parseTrainConfig({ arch: 'esn', hidden: 32, batch: 4, seq: 16, steps: 40, learningRate: 0.02, checkpointEvery: 1, evalEvery: 40, evalChars: 100 });
  const losses: number[] = [];
  await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds: ids.subarray(0, 1200), valIds: ids.subarray(1200), progressEvery: 1, onProgress: (p) => void losses.push(p.point.trainLoss), onCheckpoint: (c) => void saved.push(c) });
  const first = new Map(decodeNamedArrays(saved[0]?.weights ?? new Uint8Array()).map((a) => [a.name, a.data]));
  const last = new Map(decodeNamedArrays(saved.at(-1)?.weights ?? new Uint8Array()).map((a) => [a.name, a.data]));
  for (const name of ['esn_0/kernel', 'esn_0/recurrent_kernel', 'esn_0/bias']) {
    assert.deepEqual(Array.from(last.get(name) ?? []), Array.from(first.get(name) ?? [1]), `${name} fixed`);
  }
  assert.notDeepEqual(Array.from(last.get('output/kernel') ?? []), Array.from(first.get('output/kernel') ?? []));
  assert.ok((losses.at(-1) ?? 99) < (losses[0] ?? 0) * 0.8, `read-out learns: ${losses[0]} -> ${losses.at(-1)}`);
});
