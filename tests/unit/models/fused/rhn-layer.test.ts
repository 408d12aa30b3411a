import { test } from 'node:test';
import { ensureBackend } from '../../../../lib/tf/backend.ts';
import { rhnCell } from '../../../../models/rhn.ts';
import { rhnLayerForward } from '../../../../models/fused/rhn-layer.ts';
import { checkAgainstTfjs, checkFiniteDifferences } from './layer-check.ts';

for (const coupled of [true, false]) {
  for (const depth of [1, 3]) {
    const options = { depth, coupled, spectralRadius: 1, norm: 'none' as const };
    const label = `depth ${depth}, ${coupled ? 'coupled' : 'separate'} carry gate`;
    test(`fused RHN layer equals the tfjs RHN cell: outputs 1e-5, gradients 1e-4 (${label})`, async () => {
      await ensureBackend();
      checkAgainstTfjs(rhnCell(options), rhnLayerForward(options), 5, 3, 8, 7, false);
      checkAgainstTfjs(rhnCell(options), rhnLayerForward(options), 4, 5, 12, 6, true);
    });
  }
  test(`fused RHN backward pass agrees with central finite differences (depth 2, ${coupled ? 'coupled' : 'separate'})`, async () => {
    await ensureBackend();
    const options = { depth: 2, coupled, spectralRadius: 1, norm: 'none' as const };
    checkFiniteDifferences(rhnCell(options), rhnLayerForward(options), 4, 3, 8, 5);
  });
}
