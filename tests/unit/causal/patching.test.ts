import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { patchStates } from '../../../lib/causal/patching.ts';
import { runStreams } from '../../../lib/causal/stream-run.ts';
import { saliencySourceOfRun } from '../../../lib/saliency/saliency-source.ts';
import { NO_EDITS } from '../../../models/fused/state-edit.ts';

let db: Db;
let cleanup: () => Promise<void>;
let lstm = 0;
let gru = 0;
const TEXT = 'she said "yes, (maybe) no" and left.\nhe said "no" and stayed. '.repeat(40);
const CLEAN = 'he said "no and';
const CORRUPT = 'he said  no and';

before(async () => {
  ({ db, cleanup } = await tempDb());
  const small = { batch: 8, seq: 32, steps: 30, learningRate: 0.02, evalEvery: 30, checkpointEvery: 30, evalChars: 200 };
  lstm = (await trainedRun(db, TEXT, { ...small, hidden: 16, layers: 2 }, 'lstm')).runId;
  gru = (await trainedRun(db, TEXT, { ...small, arch: 'gru', hidden: 16, layers: 1 }, 'gru')).runId;
});
after(() => cleanup());

test('patching a run into itself restores everything: every patched p(target) is the clean one', async () => {
  const r = await patchStates(db, lstm, { clean: CLEAN, corrupt: CLEAN, target: '"' });
  assert.equal(r.pCorrupt, r.pClean);
  assert.deepEqual(r.patches.map((p) => [p.layer, p.quantity]), [[0, 'h'], [0, 'c'], [1, 'h'], [1, 'c']]);
  for (const p of r.patches) {
    assert.equal(p.p.length, [...CLEAN].length);
    for (const v of p.p) assert.ok(Math.abs(v - r.pClean) < 1e-6, `${p.layer} ${p.quantity}: ${v} vs ${r.pClean}`);
    assert.ok(p.restored.every((x) => x === null), 'nothing to restore');
  }
});

test('patching the top layer\'s h at the last step restores all of p(target); patches long before restore less', async () => {
  const r = await patchStates(db, lstm, { clean: CLEAN, corrupt: CORRUPT, target: '"' });
  assert.notEqual(r.pClean, r.pCorrupt);
  const top = r.patches.find((p) => p.layer === 1 && p.quantity === 'h');
  const T = [...CLEAN].length;
  assert.ok(Math.abs((top?.restored[T - 1] ?? NaN) - 1) < 1e-4, `restored ${top?.restored[T - 1]}`);
  // Before the quote (step 8) the texts agree: patching there changes nothing (up to float32:
  // a patched c gives its h again through tanh in double precision).
  for (const p of r.patches) for (let t = 0; t < 8; t++) assert.ok(Math.abs((p.p[t] ?? NaN) - r.pCorrupt) < 1e-5, `${p.layer} ${p.quantity} step ${t}: ${p.p[t]} vs ${r.pCorrupt}`);
});

test('GRU: patching h at step t equals reading the clean text up to t and the corrupted one after it', async () => {
  const r = await patchStates(db, gru, { clean: CLEAN, corrupt: CORRUPT, target: '"' });
  const src = await saliencySourceOfRun(db, gru);
  const clean = [...CLEAN];
  const corrupt = [...CORRUPT];
  for (const t of [3, 8, 11, clean.length - 1]) {
    const hybrid = [...clean.slice(0, t + 1), ...corrupt.slice(t + 1), '"'].map((ch) => src.vocab.index.get(ch) as number);
    let p = NaN;
    const T = hybrid.length - 1;
    await runStreams({
      model: src.model, ids: Int32Array.from(hybrid), streams: [{ from: 0, score: T - 1, end: T }], edit: { layer: 0, quantity: 'h', edits: NO_EDITS }, editAt: () => false, topK: 1,
      onScores: (block) => block.positions.forEach((pos, k) => { if (pos === T - 1) p = block.truth[k] as number; }),
    });
    assert.ok(Math.abs((r.patches[0]?.p[t] ?? NaN) - p) < 1e-6, `step ${t}: ${r.patches[0]?.p[t]} vs ${p}`);
  }
});

test('patching, bad input: a 400 naming the field', async () => {
  for (const [input, field, pattern] of [
    [{ clean: CLEAN, corrupt: 'he said', target: '"' }, 'corrupt', /same length/],
    [{ clean: 'he said ж', corrupt: 'he said x', target: '"' }, 'clean', /"ж" at 8 is not in the model's vocabulary/],
    [{ clean: CLEAN, corrupt: CORRUPT, target: 'ab' }, 'target', /one character/],
    [{ clean: '', corrupt: '', target: '"' }, 'clean', /must not be empty/],
    [{ clean: 'a'.repeat(401), corrupt: 'a'.repeat(401), target: '"' }, 'clean', /at most 400/],
  ] as const) {
    await assert.rejects(patchStates(db, lstm, input), (err: Error & { field?: string }) => {
      assert.equal(err.name, 'BadRequestError', err.message);
      assert.equal(err.field, field);
      assert.match(err.message, pattern);
      return true;
    });
  }
});
