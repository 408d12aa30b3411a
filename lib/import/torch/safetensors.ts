import { BadRequestError } from '../../errors.ts';
import { decodeElements, DTYPE_BYTES, elementCount, type LoadedTensor, type TensorDtype } from './tensors.ts';

/**
 * A .safetensors file (huggingface/safetensors, its format document): an 8-byte little-endian
 * header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]},
 * __metadata__?: {string: string}}, then the data, each tensor's bytes at its offsets from the
 * data's start, little-endian and row-major. Checked as the format requires: offsets inside the
 * data, one tensor's bytes exactly its shape's, no two tensors overlapping. Answers the tensors
 * by name in the order of their offsets (the order they were written).
 */

/** The format's own cap on the JSON header. */
export const MAX_SAFETENSORS_HEADER = 100 * 1024 ** 2;

const DTYPES: Record<string, TensorDtype> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', F64: 'float64', I64: 'int64', I32: 'int32', U8: 'uint8', BOOL: 'bool' };

export function readSafetensors(bytes: Uint8Array, what = 'the .safetensors file'): Map<string, LoadedTensor> {
  const fail = (message: string): never => {
    throw new BadRequestError(`${what}: ${message}`, 'files');
  };
  if (bytes.length < 8) fail('it is shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > MAX_SAFETENSORS_HEADER) fail(`its header claims ${n} bytes (at most ${MAX_SAFETENSORS_HEADER})`);
  if (8 + n > bytes.length) fail(`its header claims ${n} bytes, the file has ${bytes.length - 8} after the length (a truncated file?)`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    return fail(`its header is not JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('its header is not a JSON object');
  const data = bytes.subarray(8 + n);
  const spans: { name: string; dtype: TensorDtype; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const t = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    const dtype = typeof t?.dtype === 'string' ? DTYPES[t.dtype] : undefined;
    if (!dtype) fail(`tensor ${JSON.stringify(name)} has dtype ${JSON.stringify(t?.dtype)}, which Cellscope does not read (${Object.keys(DTYPES).join(', ')})`);
    const shape = t?.shape;
    const offsets = t?.data_offsets;
    if (!Array.isArray(shape) || !Array.isArray(offsets) || offsets.length !== 2) return fail(`tensor ${JSON.stringify(name)} lacks its shape or data_offsets`);
    const count = elementCount(shape as number[], `${what}: tensor ${JSON.stringify(name)}`);
    const [begin, end] = offsets as unknown[];
    if (!Number.isSafeInteger(begin) || !Number.isSafeInteger(end) || (begin as number) < 0 || (end as number) < (begin as number) || (end as number) > data.length) fail(`tensor ${JSON.stringify(name)} has data_offsets [${String(begin)}, ${String(end)}] outside the ${data.length} bytes of data (a truncated file?)`);
    if ((end as number) - (begin as number) !== count * DTYPE_BYTES[dtype as TensorDtype]) fail(`tensor ${JSON.stringify(name)} of shape [${(shape as number[]).join(', ')}] and dtype ${String(t?.dtype)} needs ${count * DTYPE_BYTES[dtype as TensorDtype]} bytes, its offsets span ${(end as number) - (begin as number)}`);
    spans.push({ name, dtype: dtype as TensorDtype, shape: shape as number[], begin: begin as number, end: end as number });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let k = 1; k < spans.length; k++) {
    const [a, b] = [spans[k - 1], spans[k]] as [(typeof spans)[number], (typeof spans)[number]];
    if (b.begin < a.end) fail(`tensors ${JSON.stringify(a.name)} and ${JSON.stringify(b.name)} overlap`);
  }
  return new Map(spans.map((s) => [s.name, { dtype: s.dtype, shape: s.shape, data: decodeElements(data.subarray(s.begin, s.end), s.dtype) }]));
}
