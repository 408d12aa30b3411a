import { BadRequestError } from '../../errors.ts';
import { unzipInMemory } from '../unzip-project.ts';
import { PyDict, PyGlobal, PyOpaque, PyTuple, unpickle, type PyValue } from './pickle.ts';
import { decodeElements, DTYPE_BYTES, elementCount, type LoadedTensor, type TensorDtype } from './tensors.ts';

/**
 * `torch.save(model.state_dict(), "model.pt")` read back without PyTorch (its zip format, torch
 * 1.6 and later: torch/serialization.py): a zip holding `<archive>/data.pkl`, the pickled
 * OrderedDict of tensors, and one raw little-endian file `<archive>/data/<key>` per storage.
 * The pickle goes through the restricted reader (pickle.ts): it may name storages and rebuild
 * tensors and dicts, nothing else. Answers the state_dict's tensors by name, in file order.
 */

/** torch's storage classes, by the name its pickles give them. */
const STORAGE_DTYPES: Record<string, TensorDtype> = {
  FloatStorage: 'float32', HalfStorage: 'float16', BFloat16Storage: 'bfloat16', DoubleStorage: 'float64',
  LongStorage: 'int64', IntStorage: 'int32', ByteStorage: 'uint8', BoolStorage: 'bool',
};

interface StorageRef {
  key: string;
  dtype: TensorDtype;
  numel: number;
}

/** True when the bytes are a zip (a torch.save file of torch 1.6 or later is one). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** A torch.save pickle from before torch 1.6 starts with the legacy magic number's pickle. */
function isLegacyTorchFile(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && (bytes[1] ?? 0) >= 2 && (bytes[1] ?? 0) <= 5;
}

export function readTorchStateDict(bytes: Uint8Array, what = 'the .pt file'): Map<string, LoadedTensor> {
  if (!isZip(bytes)) {
    if (isLegacyTorchFile(bytes)) throw new BadRequestError(`${what} is in the format of torch.save before PyTorch 1.6: load it and save it again with a current PyTorch (torch.save(torch.load(f), f))`, 'files');
    throw new BadRequestError(`${what} is not a torch.save file (a zip holding data.pkl)`, 'files');
  }
  const entries = unzipInMemory(bytes);
  const pklName = [...entries.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (!pklName) throw new BadRequestError(`${what} is a zip but holds no <archive>/data.pkl: not a torch.save file`, 'files');
  const prefix = pklName.slice(0, -'data.pkl'.length);
  const order = entries.get(`${prefix}byteorder`);
  if (order && new TextDecoder().decode(order).trim() !== 'little') throw new BadRequestError(`${what} was saved on a big-endian machine, which Cellscope does not read`, 'files');

  const storages = new Map<string, Float32Array>();
  const storage = (ref: StorageRef): Float32Array => {
    const cached = storages.get(ref.key);
    if (cached) return cached;
    const raw = entries.get(`${prefix}data/${ref.key}`);
    if (!raw) throw new BadRequestError(`${what} names storage ${ref.key}, which its zip does not hold (a truncated file?)`, 'files');
    const size = DTYPE_BYTES[ref.dtype];
    if (raw.length < ref.numel * size) throw new BadRequestError(`${what}: storage ${ref.key} holds ${raw.length} bytes, ${ref.numel} ${ref.dtype} values need ${ref.numel * size} (a truncated file?)`, 'files');
    const values = decodeElements(raw.subarray(0, ref.numel * size), ref.dtype);
    storages.set(ref.key, values);
    return values;
  };

  const root = unpickle(entries.get(pklName) as Uint8Array, {
    what: `${what}'s data.pkl`,
    persistentLoad: (pid) => {
      const t = pid instanceof PyTuple ? pid.items : [];
      const [kind, type, key, , numel] = t;
      if (kind !== 'storage' || !(type instanceof PyGlobal) || typeof key !== 'string' || typeof numel !== 'number') throw new BadRequestError(`${what}'s data.pkl refers to something that is not a storage`, 'files');
      const dtype = type.module === 'torch' ? STORAGE_DTYPES[type.name] : undefined;
      if (!dtype) throw new BadRequestError(`${what} holds a storage of type ${String(type)}, which Cellscope does not read`, 'files');
      if (!/^\w+$/.test(key)) throw new BadRequestError(`${what} names a storage key that is not a plain name`, 'files');
      elementCount([numel], `storage ${key}`);
      return new PyOpaque<StorageRef>({ key, dtype, numel });
    },
    reduce: (callable, args) => {
      const name = String(callable);
      if (name === 'collections.OrderedDict') return new PyDict();
      if (name === 'torch._utils._rebuild_tensor_v2') return new PyOpaque(rebuildTensor(args, storage, what));
      // nn.Parameter (a state_dict saved with keep_vars=True): its data tensor.
      if (name === 'torch._utils._rebuild_parameter' && args[0] instanceof PyOpaque) return args[0];
      return undefined;
    },
  });
  if (!(root instanceof PyDict)) throw new BadRequestError(`${what} holds a pickled ${describe(root)}, not a state_dict (save model.state_dict(), not the model object)`, 'files');
  const out = new Map<string, LoadedTensor>();
  for (const [name, value] of root.entries) {
    if (!(value instanceof PyOpaque) || typeof name !== 'string') throw new BadRequestError(`${what}: state_dict entry ${JSON.stringify(String(name))} is a ${describe(value)}, not a tensor`, 'files');
    out.set(name, value.value as LoadedTensor);
  }
  return out;
}

function describe(v: PyValue): string {
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyGlobal) return String(v);
  return v === null ? 'None' : typeof v;
}

function naturals(v: PyValue | undefined, what: string): number[] {
  const items = v instanceof PyTuple ? v.items : null;
  if (!items || !items.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) throw new BadRequestError(`${what} is not a tuple of natural numbers`, 'files');
  return items as number[];
}

/**
 * torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...): the tensor's
 * elements gathered from its storage in row-major order, every index checked to lie inside it.
 */
function rebuildTensor(args: PyValue[], storage: (ref: StorageRef) => Float32Array, what: string): LoadedTensor {
  const [ref, offset, sizeArg, strideArg] = args;
  if (!(ref instanceof PyOpaque) || typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw new BadRequestError(`${what}: a tensor is rebuilt from something that is not a storage`, 'files');
  const source = ref.value as StorageRef;
  const shape = naturals(sizeArg, `${what}: a tensor's size`);
  const stride = naturals(strideArg, `${what}: a tensor's stride`);
  if (stride.length !== shape.length) throw new BadRequestError(`${what}: a tensor's stride and size disagree`, 'files');
  const n = elementCount(shape, `${what}: a tensor`);
  const values = storage(source);
  // A view may repeat elements (stride 0), so a few bytes could claim any size: a state_dict's
  // tensors never hold more elements than their storage.
  if (n > values.length) throw new BadRequestError(`${what}: a tensor of shape [${shape.join(', ')}] holds more elements than its storage ${source.key} (${values.length}); a state_dict's tensors never do`, 'files');
  let last = offset;
  for (let d = 0; d < shape.length; d++) last += ((shape[d] as number) - 1) * (stride[d] as number);
  if (n > 0 && last >= values.length) throw new BadRequestError(`${what}: a tensor of shape [${shape.join(', ')}] reads past the end of storage ${source.key} (${values.length} values)`, 'files');
  const data = new Float32Array(n);
  const contiguous = stride.every((s, d) => s === shape.slice(d + 1).reduce((a, b) => a * b, 1));
  if (contiguous) data.set(values.subarray(offset, offset + n));
  else {
    const index = new Array<number>(shape.length).fill(0);
    for (let k = 0; k < n; k++) {
      let at = offset;
      for (let d = 0; d < shape.length; d++) at += (index[d] as number) * (stride[d] as number);
      data[k] = values[at] as number;
      for (let d = shape.length - 1; d >= 0; d--) {
        index[d] = (index[d] as number) + 1;
        if ((index[d] as number) < (shape[d] as number)) break;
        index[d] = 0;
      }
    }
  }
  return { dtype: source.dtype, shape, data };
}
