import pkg from 'onnx-proto';
import { BadRequestError } from '../../errors.ts';
import { decodeElements, DTYPE_BYTES, elementCount, type LoadedTensor, type TensorDtype } from '../torch/tensors.ts';

/**
 * An .onnx file decoded with protobuf.js through onnx-proto (the ONNX project's onnx.proto as a
 * static module), and what the importer needs of it: the initializers and Constant nodes as
 * tensors, and the nodes with their attributes as plain values. Only the file's own bytes are
 * read: tensors stored as external data (a path next to the model) are refused.
 */
const { onnx } = pkg;

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, number | string | number[] | string[] | LoadedTensor>;
}

export interface OnnxGraph {
  /** The graph's inputs that are not initializers: what the model reads. */
  inputs: string[];
  outputs: string[];
  nodes: OnnxNode[];
  /** Initializers and Constant nodes' values, by the name nodes use for them. */
  tensors: Map<string, LoadedTensor>;
  producer: string;
}

const DTYPES: Record<number, TensorDtype> = { 1: 'float32', 10: 'float16', 16: 'bfloat16', 11: 'float64', 7: 'int64', 6: 'int32', 2: 'uint8', 9: 'bool' };

function fail(message: string): never {
  throw new BadRequestError(message, 'files');
}

type Int64 = number | { toNumber(): number };
const num = (v: Int64): number => (typeof v === 'number' ? v : v.toNumber());

/*
 * What is read of the decoded messages. protobuf.js instances carry every field (a default on
 * the prototype when the file omits it: '' , 0, [] or null), so these are exact for decode().
 */
interface TensorMsg {
  name: string; dims: Int64[]; dataType: number; rawData: Uint8Array | null; floatData: number[]; doubleData: number[];
  int32Data: number[]; int64Data: Int64[]; dataLocation: number; externalData: unknown[];
}
interface AttributeMsg { name: string; type: number; f: number; i: Int64; s: Uint8Array; t: TensorMsg | null; floats: number[]; ints: Int64[]; strings: Uint8Array[] }
interface NodeMsg { opType: string; name: string; input: string[]; output: string[]; attribute: AttributeMsg[] }
interface GraphMsg { node: NodeMsg[]; initializer: TensorMsg[]; sparseInitializer: unknown[]; input: { name: string }[]; output: { name: string }[] }
interface ModelMsg { graph: GraphMsg | null; producerName: string; producerVersion: string }

function tensorOf(t: TensorMsg, what: string): LoadedTensor {
  const name = t.name || what;
  if (t.dataLocation === 1 || t.externalData.length > 0) fail(`tensor ${name} is stored outside the .onnx file (external data): export the model as one file`);
  const dtype = DTYPES[t.dataType];
  if (!dtype) fail(`tensor ${name} has ONNX data type ${t.dataType}, which Cellscope does not read`);
  const shape = t.dims.map(num);
  const n = elementCount(shape, `tensor ${name}`);
  let data: Float32Array;
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== n * DTYPE_BYTES[dtype as TensorDtype]) fail(`tensor ${name} [${shape.join(', ')}] holds ${t.rawData.length} bytes, not ${n * DTYPE_BYTES[dtype as TensorDtype]}`);
    data = decodeElements(t.rawData, dtype as TensorDtype);
  } else {
    // The typed repeated fields: float_data for floats, int64_data, int32_data (which also holds float16 bits).
    const values: number[] = dtype === 'float32' ? t.floatData : dtype === 'float64' ? t.doubleData : dtype === 'int64' ? t.int64Data.map(num) : t.int32Data;
    if (values.length !== n) fail(`tensor ${name} [${shape.join(', ')}] holds ${values.length} values, not ${n}`);
    data = dtype === 'float16' || dtype === 'bfloat16' ? decodeElements(new Uint8Array(Uint16Array.from(values).buffer), dtype) : Float32Array.from(values);
  }
  return { dtype: dtype as TensorDtype, shape, data };
}

export function readOnnxGraph(bytes: Uint8Array, what = 'the .onnx file'): OnnxGraph {
  let model: ModelMsg;
  try {
    model = onnx.ModelProto.decode(bytes) as unknown as ModelMsg;
  } catch (err) {
    return fail(`${what} is not an ONNX model (${(err as Error).message})`);
  }
  const g = model.graph;
  if (!g || g.node.length === 0) return fail(`${what} holds no graph: not an ONNX model`);
  const tensors = new Map<string, LoadedTensor>();
  for (const t of g.initializer) tensors.set(t.name, tensorOf(t, 'an initializer'));
  if (g.sparseInitializer.length > 0) fail(`${what} has sparse initializers, which Cellscope does not read`);
  const nodes: OnnxNode[] = g.node.map((n, k) => {
    const attributes = new Map<string, number | string | number[] | string[] | LoadedTensor>();
    for (const a of n.attribute) {
      const text = (b: Uint8Array): string => new TextDecoder().decode(b);
      if (a.type === 1) attributes.set(a.name, a.f);
      else if (a.type === 2) attributes.set(a.name, num(a.i));
      else if (a.type === 3) attributes.set(a.name, text(a.s));
      else if (a.type === 4 && a.t) attributes.set(a.name, tensorOf(a.t, `${n.opType} ${n.name} ${a.name}`));
      else if (a.type === 6) attributes.set(a.name, a.floats);
      else if (a.type === 7) attributes.set(a.name, a.ints.map(num));
      else if (a.type === 8) attributes.set(a.name, a.strings.map(text));
      // Graphs (If, Loop, Scan) are refused where they are met: a recurrent layer is an LSTM/GRU/RNN node here.
    }
    return { opType: n.opType, name: n.name || `node ${k}`, inputs: [...n.input], outputs: [...n.output], attributes };
  });
  for (const n of nodes) {
    const value = n.attributes.get('value');
    if (n.opType === 'Constant' && value !== undefined && typeof value === 'object' && !Array.isArray(value) && n.outputs[0]) tensors.set(n.outputs[0], value);
  }
  return {
    inputs: g.input.map((i) => i.name).filter((name) => !tensors.has(name)),
    outputs: g.output.map((o) => o.name),
    nodes,
    tensors,
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
  };
}
