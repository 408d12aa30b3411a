import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { readTorchStateDict } from '../../../../lib/import/torch/torch-archive.ts';
import { readSafetensors } from '../../../../lib/import/torch/safetensors.ts';

// Issue 12: PyTorch state_dicts (torch.save's zip) and .safetensors, read without Python and
// checked against what PyTorch itself loads from the same files (tests/fixtures/torch, written by
// make_fixtures.py with Debian's python3-torch).
const DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'torch');
const file = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { files: Record<string, Record<string, { dtype: string; shape: number[]; values: number[] }>> };

function sameAsTorch(name: string, got: Map<string, { dtype: string; shape: number[]; data: Float32Array }>): void {
  const want = expected.files[name] ?? {};
  assert.deepEqual([...got.keys()], Object.keys(want), `${name}: the state_dict's names, in its order`);
  for (const [key, t] of Object.entries(want)) {
    const g = got.get(key);
    assert.ok(g, key);
    assert.deepEqual([g.dtype, g.shape], [t.dtype, t.shape], key);
    // Exactly: float16 and bfloat16 widen to float32 without rounding, as .float() does.
    assert.deepEqual(Array.from(g.data), t.values, key);
  }
}

test('a state_dict saved by torch.save reads back exactly as PyTorch loads it: names in order, shapes, values', () => {
  const sd = readTorchStateDict(file('lstm-lm.pt'));
  sameAsTorch('lstm-lm.pt', sd);
  assert.deepEqual(sd.get('rnn.weight_ih_l1')?.shape, [64, 16]);
});

test('float16 and bfloat16 weights, and tensors that are views of one storage (a transpose, a row at an offset)', () => {
  sameAsTorch('gru-mixed.pt', readTorchStateDict(file('gru-mixed.pt')));
});

test('a .safetensors file reads back as PyTorch\'s tensors', () => {
  sameAsTorch('lstm-lm.safetensors', readSafetensors(file('lstm-lm.safetensors')));
});

test('a pickle that would run code is refused, naming what it calls, and nothing runs', () => {
  assert.throws(() => readTorchStateDict(file('evil.pt'), 'evil.pt'), (e: unknown) => e instanceof Error && /calls posix\.system, which a state_dict never holds: refused/.test(e.message) && (e as { field?: string }).field === 'files');
  assert.equal(existsSync('/tmp/cellscope-pwned'), false);
  assert.throws(() => readTorchStateDict(file('whole-model.pt'), 'whole-model.pt'), /whole-model\.pt's data\.pkl: the pickle (calls|uses) .*refused/);
  assert.throws(() => readTorchStateDict(file('legacy.pt'), 'legacy.pt'), /format of torch\.save before PyTorch 1\.6/);
  // A 750-byte file whose one stored value a stride-0 view claims 1e8 times: refused before allocating.
  assert.throws(() => readTorchStateDict(file('expanded.pt'), 'expanded.pt'), /a tensor of shape \[100000000\] holds more elements than its storage \w+ \(1\)/);
});

test('truncated, foreign and inconsistent files are clear 400s', () => {
  const lm = file('lstm-lm.pt');
  assert.throws(() => readTorchStateDict(lm.subarray(0, 4000)), /zip/);
  assert.throws(() => readTorchStateDict(new TextEncoder().encode('{"not": "torch"}')), /not a torch\.save file/);
  assert.throws(() => readTorchStateDict(zipSync({ 'x/readme.txt': new Uint8Array(3) })), /holds no <archive>\/data\.pkl/);
  // The pickle without its storages: a truncated upload.
  const entries = unzipSync(lm);
  const pkl = Object.keys(entries).find((n) => n.endsWith('/data.pkl')) as string;
  assert.throws(() => readTorchStateDict(zipSync({ [pkl]: entries[pkl] as Uint8Array })), /names storage \w+, which its zip does not hold/);
  // A storage shorter than the tensors that read it.
  const short = Object.fromEntries(Object.entries(entries).map(([n, b]) => [n, n.includes('/data/') ? b.subarray(0, 8) : b]));
  assert.throws(() => readTorchStateDict(zipSync(short)), /storage \w+ holds 8 bytes/);

  const st = file('lstm-lm.safetensors');
  assert.throws(() => readSafetensors(st.subarray(0, 6)), /shorter than its 8-byte header length/);
  assert.throws(() => readSafetensors(st.subarray(0, st.length - 100)), /outside the \d+ bytes of data/);
  const forge = (header: unknown, data = new Uint8Array(16)): Uint8Array => {
    const h = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + h.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    out.set(data, 8 + h.length);
    return out;
  };
  assert.throws(() => readSafetensors(forge({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } })), /needs 12 bytes, its offsets span 16/);
  assert.throws(() => readSafetensors(forge({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } })), /overlap/);
  assert.throws(() => readSafetensors(forge({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } })), /dtype "C64"/);
  assert.throws(() => readSafetensors(forge({ w: { dtype: 'F32', shape: [1e6, 1e6], data_offsets: [0, 8] } })), /over 536,870,912 elements/);
  const huge = new Uint8Array(16);
  new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
  assert.throws(() => readSafetensors(huge), /header claims \d+ bytes \(at most/);
});
