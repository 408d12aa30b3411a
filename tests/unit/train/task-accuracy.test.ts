import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend } from '../../../lib/tf/backend.ts';
import { buildVocab, encode } from '../../../lib/corpus/vocab.ts';
import { copyTaskTargets, copyTaskText } from '../../../lib/corpus/tasks/copy-task.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { trainCharModel, type CheckpointPayload } from '../../../lib/train/trainer.ts';
import { loadModel } from '../../../lib/train/model-io.ts';
import { modelShapeOf } from '../../../lib/train/config.ts';
import { targetAccuracy } from '../../../lib/train/task-accuracy.ts';
import { createCharModel, disposeModel } from '../../../models/char-model.ts';

test('target accuracy: an untrained model is near chance on the copy task, an LSTM trained on a short gap beats it', async () => {
  await ensureBackend();
  const text = copyTaskText({ gap: 2, examples: 600, symbols: 3, alphabetSize: 4, seed: 2 });
  const vocab = buildVocab(text);
  const ids = encode(text, vocab);
  const evalText = copyTaskText({ gap: 2, examples: 60, symbols: 3, alphabetSize: 4, seed: 99 });
  const evalIds = encode(evalText, vocab);
  const targets = copyTaskTargets(evalText);
  const untrained = createCharModel({ arch: 'lstm', layers: 1, hidden: 32, vocabSize: vocab.chars.length }, 1);
  const chance = targetAccuracy(untrained, evalIds, targets);
  disposeModel(untrained);
  assert.ok(chance < 0.5, `untrained accuracy ${chance}`);

  const config = parseTrainConfig({ hidden: 48, batch: 16, seq: 32, steps: 300, learningRate: 0.01, checkpointEvery: 300, evalEvery: 300, evalChars: 200 });
  let ck: CheckpointPayload | undefined;
  await trainCharModel({ config, vocabSize: vocab.chars.length, trainIds: ids, valIds: evalIds, onCheckpoint: (c) => void (ck = c) });
  if (!ck) throw new Error('no checkpoint');
  const model = loadModel(modelShapeOf(config, vocab.chars.length), ck.weights);
  const acc = targetAccuracy(model, evalIds, targets);
  disposeModel(model);
  assert.ok(acc > 0.6, `trained accuracy ${acc} (chance ~0.25 on the letters)`);
});
