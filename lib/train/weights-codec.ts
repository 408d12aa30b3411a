/**
 * Named float32 tensors <-> bytes, for checkpoints (weights and optimizer state).
 * Layout: "CSW1" | uint32 LE header length | UTF-8 JSON [{name, shape}] | zero pad to 4 bytes |
 * each tensor's float32 LE data, in header order.
 */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

const MAGIC = 'CSW1';

export function encodeNamedArrays(arrays: readonly NamedArray[]): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(JSON.stringify(arrays.map((a) => ({ name: a.name, shape: a.shape }))));
  const headerEnd = 8 + header.byteLength;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const total = dataStart + arrays.reduce((n, a) => n + a.data.byteLength, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, header.byteLength, true);
  out.set(header, 8);
  let at = dataStart;
  for (const a of arrays) {
    const expected = a.shape.reduce((p, d) => p * d, 1);
    if (expected !== a.data.length) throw new Error(`${a.name}: shape ${a.shape.join('x')} does not match ${a.data.length} values`);
    out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), at);
    at += a.data.byteLength;
  }
  return out;
}

export function decodeNamedArrays(bytes: Uint8Array): NamedArray[] {
  if (bytes.byteLength < 8 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new Error('not a Cellscope weights blob (bad magic)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = view.getUint32(4, true);
  if (8 + headerLen > bytes.byteLength) throw new Error('weights blob truncated in its header');
  const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  if (!Array.isArray(header)) throw new Error('weights header is not a list');
  let at = Math.ceil((8 + headerLen) / 4) * 4;
  const out: NamedArray[] = [];
  for (const entry of header as unknown[]) {
    const e = entry as { name?: unknown; shape?: unknown };
    if (typeof e.name !== 'string' || !Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error('weights header entry malformed');
    }
    const shape = e.shape as number[];
    const n = shape.reduce((p, d) => p * d, 1);
    if (at + 4 * n > bytes.byteLength) throw new Error(`weights blob truncated in ${e.name}`);
    // Copy: the source may be unaligned or shared with the database driver's buffer.
    const data = new Float32Array(n);
    new Uint8Array(data.buffer).set(bytes.subarray(at, at + 4 * n));
    out.push({ name: e.name, shape, data });
    at += 4 * n;
  }
  return out;
}
