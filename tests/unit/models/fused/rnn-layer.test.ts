import { test } from 'node:test';
import { ensureBackend } from '../../../../lib/tf/backend.ts';
import { irnnCell, rnnCell } from '../../../../models/simple-rnn.ts';
import { simpleLayerForward } from '../../../../models/fused/rnn-layer.ts';
import { checkAgainstTfjs, checkFiniteDifferences } from './layer-check.ts';

for (const [label, cell, activation] of [['tanh RNN', rnnCell, 'tanh'], ['ReLU RNN (IRNN, np-RNN)', irnnCell, 'relu']] as const) {
  for (const [dense, T, B, H, In] of [[false, 7, 5, 8, 11], [true, 5, 9, 20, 9]] as const) {
    test(`fused ${label} layer equals the tfjs cell: outputs 1e-5, gradients 1e-4 (${dense ? 'dense' : 'one-hot'} input, hidden ${H})`, async () => {
      await ensureBackend();
      checkAgainstTfjs(cell, simpleLayerForward(activation), T, B, H, In, dense);
    });
  }
  test(`fused ${label} backward pass agrees with central finite differences`, async () => {
    await ensureBackend();
    checkFiniteDifferences(cell, simpleLayerForward(activation), 5, 3, 8, 6);
  });
}
