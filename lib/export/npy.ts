/**
 * NumPy's .npy format, version 1.0 (numpy.lib.format): the magic "\x93NUMPY", version 1.0, a
 * little-endian u16 header length, an ASCII Python dict literal padded with spaces and ended by
 * "\n" so the data starts at a multiple of 64 bytes, then the data in C order. float32
 * little-endian ('<f4'), which numpy.load reads on any machine.
 */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array<ArrayBuffer> {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: shape [${shape.join(', ')}] holds ${count} values, got ${data.length}`);
  const header = npyHeader(shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(npyData(data), header.length);
  return out;
}

/** The header alone, for writing the data after it block by block (a streamed export). */
export function npyHeader(shape: readonly number[]): Uint8Array<ArrayBuffer> {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let k = 0; k < header.length; k++) out[10 + k] = header.charCodeAt(k);
  return out;
}

/** Values as little-endian float32 bytes. */
export function npyData(data: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  for (let k = 0; k < data.length; k++) view.setFloat32(4 * k, data[k] as number, true);
  return out;
}
