import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationColor, inkOn, probabilityColor } from '../../../components/views/activation-color.ts';

const rgb = (s: string): number[] => (s.match(/\d+/g) ?? []).map(Number);

test('diverging scale: red for +1, blue for -1, near white at 0, clamped outside [-1, 1]', () => {
  const [r1, , b1] = rgb(activationColor(1));
  const [r0, g0, b0] = rgb(activationColor(0));
  const [rm, , bm] = rgb(activationColor(-1));
  assert.ok((r1 ?? 0) > (b1 ?? 0) + 50, 'positive is red');
  assert.ok((bm ?? 0) > (rm ?? 0) + 50, 'negative is blue');
  assert.ok(Math.min(r0 ?? 0, g0 ?? 0, b0 ?? 0) > 230, 'zero is near white');
  assert.equal(activationColor(5), activationColor(1));
  assert.equal(activationColor(NaN), 'transparent');
  assert.equal(inkOn(0.9), '#fff');
  assert.equal(inkOn(0.1), '#111');
  assert.match(probabilityColor(0.5), /^rgba\(34, 87, 197, 0\.490\)$/);
});
