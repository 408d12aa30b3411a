import { BadRequestError } from '../../errors.ts';
import { decodeF16, u16View } from '../../record/f16.ts';

/** A tensor read from a PyTorch or safetensors file, its values widened to float32. */
export interface LoadedTensor {
  /** The dtype it was stored in. */
  dtype: TensorDtype;
  /** Row-major (C order). */
  shape: number[];
  data: Float32Array;
}

export type TensorDtype = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'uint8' | 'bool';

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Record<TensorDtype, number> = { float32: 4, float16: 2, bfloat16: 2, float64: 8, int64: 8, int32: 4, uint8: 1, bool: 1 };

/** Most elements one file may hold in all: 512M values (2 GB as float32), far past any upload limit. */
export const MAX_TENSOR_ELEMENTS = 512 * 1024 ** 2;

/** Most dimensions a tensor may have (a recurrent model's are 1-D or 2-D). */
export const MAX_TENSOR_RANK = 8;

/** The element count of a shape, refusing shapes that are not lists of small natural numbers. */
export function elementCount(shape: readonly number[], what: string): number {
  if (shape.length > MAX_TENSOR_RANK) throw new BadRequestError(`${what} has ${shape.length} dimensions (at most ${MAX_TENSOR_RANK})`, 'files');
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new BadRequestError(`${what} has a dimension that is not a natural number: [${shape.join(', ')}]`, 'files');
    n *= d;
    if (n > MAX_TENSOR_ELEMENTS) throw new BadRequestError(`${what} has over ${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')} elements: [${shape.join(', ')}]`, 'files');
  }
  return n;
}

/**
 * Little-endian elements of `dtype` in `bytes` as float32 (float64 and integers rounded to the
 * nearest float32; bfloat16 is the top half of a float32). `bytes.length` must be a whole
 * number of elements.
 */
export function decodeElements(bytes: Uint8Array, dtype: TensorDtype): Float32Array {
  const n = bytes.length / DTYPE_BYTES[dtype];
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'float32':
      for (let k = 0; k < n; k++) out[k] = view.getFloat32(4 * k, true);
      break;
    case 'float16':
      decodeF16(u16View(bytes), out);
      break;
    case 'bfloat16': {
      const bits = new Uint32Array(out.buffer);
      for (let k = 0; k < n; k++) bits[k] = view.getUint16(2 * k, true) << 16;
      break;
    }
    case 'float64':
      for (let k = 0; k < n; k++) out[k] = view.getFloat64(8 * k, true);
      break;
    case 'int64':
      for (let k = 0; k < n; k++) out[k] = Number(view.getBigInt64(8 * k, true));
      break;
    case 'int32':
      for (let k = 0; k < n; k++) out[k] = view.getInt32(4 * k, true);
      break;
    case 'uint8':
    case 'bool':
      out.set(bytes);
      break;
  }
  return out;
}
