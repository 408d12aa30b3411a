import { test } from 'node:test';
import { ensureBackend } from '../../../../lib/tf/backend.ts';
import { lstmCell } from '../../../../models/lstm.ts';
import { lstmLayerForward } from '../../../../models/fused/lstm-layer.ts';
import { checkAgainstTfjs, checkFiniteDifferences } from './layer-check.ts';

for (const [label, dense, T, B, H, In] of [
  ['one-hot input', false, 7, 5, 8, 11],
  ['dense input, batch split unevenly', true, 6, 3, 12, 9],
  ['hidden 36 (gemm tails), batch 9', true, 4, 9, 36, 20],
] as const) {
  test(`fused LSTM layer equals the tfjs LSTM cell: outputs 1e-5, gradients 1e-4 (${label})`, async () => {
    await ensureBackend();
    checkAgainstTfjs(lstmCell, lstmLayerForward, T, B, H, In, dense);
  });
}

test('fused LSTM backward pass agrees with central finite differences', async () => {
  await ensureBackend();
  checkFiniteDifferences(lstmCell, lstmLayerForward, 5, 3, 8, 6);
});
