import { test } from 'node:test';
import { ensureBackend } from '../../../../lib/tf/backend.ts';
import { gruCell } from '../../../../models/gru.ts';
import { gruLayerForward } from '../../../../models/fused/gru-layer.ts';
import { checkAgainstTfjs, checkFiniteDifferences } from './layer-check.ts';

for (const [label, dense, T, B, H, In] of [
  ['one-hot input', false, 7, 5, 8, 11],
  ['dense input, hidden 12 (unpacked 3H tails)', true, 6, 3, 12, 9],
  ['hidden 32, batch 9', true, 4, 9, 32, 20],
] as const) {
  test(`fused GRU layer equals the tfjs GRU cell: outputs 1e-5, gradients 1e-4 (${label})`, async () => {
    await ensureBackend();
    checkAgainstTfjs(gruCell, gruLayerForward, T, B, H, In, dense);
  });
}

test('fused GRU backward pass agrees with central finite differences', async () => {
  await ensureBackend();
  checkFiniteDifferences(gruCell, gruLayerForward, 5, 3, 8, 6);
});
