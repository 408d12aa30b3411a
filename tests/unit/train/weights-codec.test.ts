import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeNamedArrays, encodeNamedArrays } from '../../../lib/train/weights-codec.ts';

test('named arrays round-trip exactly, including from an unaligned copy', () => {
  const arrays = [
    { name: 'a/kernel', shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-30, 7, 8]) },
    { name: 'b', shape: [1], data: Float32Array.from([Math.PI]) },
  ];
  const bytes = encodeNamedArrays(arrays);
  const shifted = new Uint8Array(bytes.byteLength + 1);
  shifted.set(bytes, 1);
  for (const view of [bytes, shifted.subarray(1)]) {
    const back = decodeNamedArrays(view);
    assert.deepEqual(back.map((a) => [a.name, a.shape, Array.from(a.data)]), arrays.map((a) => [a.name, a.shape, Array.from(a.data)]));
  }
});

test('bad blobs are refused', () => {
  assert.throws(() => decodeNamedArrays(new Uint8Array([1, 2, 3])), /bad magic/);
  const bytes = encodeNamedArrays([{ name: 'x', shape: [4], data: new Float32Array(4) }]);
  assert.throws(() => decodeNamedArrays(bytes.subarray(0, bytes.byteLength - 4)), /truncated in x/);
  assert.throws(() => encodeNamedArrays([{ name: 'y', shape: [3], data: new Float32Array(2) }]), /does not match/);
});
