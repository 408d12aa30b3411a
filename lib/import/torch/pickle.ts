import { BadRequestError } from '../../errors.ts';

/**
 * A restricted reader of Python pickles, for what `torch.save(model.state_dict())` writes and
 * nothing more. A pickle is a program for a small stack machine whose GLOBAL and REDUCE opcodes
 * import and call any Python function (`os.system` included): here nothing is imported or run.
 * Values are built from the data opcodes alone, a GLOBAL only names a (module, name) pair, and
 * REDUCE and BUILD are answered by the caller's table of the few callables a state_dict uses
 * (OrderedDict, torch's tensor rebuilders); any other callable, and any opcode a state_dict never
 * holds, is a 400 that names it. The opcodes are pickle protocols 2 to 5 (Lib/pickle.py).
 */

/** A (module, name) a pickle names with GLOBAL or STACK_GLOBAL: a name, never imported. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  toString(): string {
    return `${this.module}.${this.name}`;
  }
}

/** A tuple (a list is a plain array). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

/** A dict or OrderedDict, keys in insertion order. */
export class PyDict {
  readonly entries = new Map<string | number, PyValue>();
}

/** What a REDUCE of an allowed callable made (a tensor, say): the caller's own value. */
export class PyOpaque<T = unknown> {
  constructor(readonly value: T) {}
}

export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | PyGlobal | PyOpaque;

export interface UnpickleOptions {
  /** REDUCE: `callable(*args)` for an allowed callable (undefined: the callable is refused). */
  reduce: (callable: PyGlobal, args: PyValue[]) => PyValue | undefined;
  /** BINPERSID: what a persistent id stands for (torch: a storage). */
  persistentLoad: (pid: PyValue) => PyValue;
  /** What the pickle is, for messages ("model.pt's data.pkl"). */
  what: string;
}

/** At most this many memo entries and stack items: a state_dict's pickle holds a few per tensor. */
const MAX_ITEMS = 5_000_000;

const MARK = Symbol('mark');
type Slot = PyValue | typeof MARK;

/** Opcodes by byte, for naming the ones refused. */
const NAMES: Record<number, string> = {
  0x63: 'GLOBAL', 0x69: 'INST', 0x6f: 'OBJ', 0x81: 'NEWOBJ', 0x92: 'NEWOBJ_EX', 0x50: 'PERSID', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4',
  0x46: 'FLOAT', 0x49: 'INT', 0x4c: 'LONG', 0x53: 'STRING', 0x56: 'UNICODE', 0x67: 'GET', 0x70: 'PUT', 0x8f: 'EMPTY_SET', 0x90: 'ADDITEMS', 0x91: 'FROZENSET',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Reads the pickle in `bytes`: the value its STOP returns. */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): PyValue {
  const fail = (message: string): never => {
    throw new BadRequestError(`${opts.what}: ${message}`, 'files');
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: true });
  const stack: Slot[] = [];
  const memo = new Map<number, PyValue>();
  let at = 0;

  const need = (n: number): number => {
    if (at + n > bytes.length) fail(`the pickle ends in the middle of an opcode (byte ${at} of ${bytes.length})`);
    const start = at;
    at += n;
    return start;
  };
  const u8 = (): number => view.getUint8(need(1));
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const u64 = (): number => {
    const lo = view.getUint32(need(8), true);
    const hi = view.getUint32(at - 4, true);
    if (hi > 0x1fffff) fail('a length in the pickle is absurd');
    return hi * 2 ** 32 + lo;
  };
  const slice = (n: number): Uint8Array => bytes.subarray(need(n), at);
  const utf8 = (n: number): string => {
    try {
      return text.decode(slice(n));
    } catch {
      return fail('a string in the pickle is not UTF-8');
    }
  };
  const push = (v: PyValue): void => {
    if (stack.length >= MAX_ITEMS) fail('the pickle holds too many values for a state_dict');
    stack.push(v);
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) return fail('the pickle pops a value that is not there');
    return v;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) return fail('the pickle uses a value that is not there');
    return v;
  };
  /** The items pushed since the last MARK, which is removed. */
  const popMark = (): PyValue[] => {
    const k = stack.lastIndexOf(MARK);
    if (k < 0) fail('the pickle has no MARK where one is needed');
    const items = stack.splice(k) as Slot[];
    items.shift();
    return items as PyValue[];
  };
  const memoize = (key: number): void => {
    if (memo.size >= MAX_ITEMS) fail('the pickle memoizes too many values for a state_dict');
    memo.set(key, top());
  };
  const recall = (key: number): void => {
    const v = memo.get(key);
    if (v === undefined) fail(`the pickle recalls memo ${key}, which it never stored`);
    push(v as PyValue);
  };
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (!(target instanceof PyDict)) fail('the pickle sets items on something that is not a dict');
    for (let k = 0; k + 1 < items.length; k += 2) {
      const key = items[k];
      if (typeof key !== 'string' && typeof key !== 'number') fail('a dict key in the pickle is not a string or a number');
      (target as PyDict).entries.set(key as string | number, items[k + 1] as PyValue);
    }
  };
  const global = (module: string, name: string): PyGlobal => {
    if (!/^[\w.]+$/.test(module) || !/^[\w.]+$/.test(name)) fail(`the pickle names a global that is not a Python name: ${JSON.stringify(`${module} ${name}`).slice(0, 80)}`);
    return new PyGlobal(module, name);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) fail('the pickle ends inside a GLOBAL');
    const s = utf8(end - at);
    at = end + 1;
    return s;
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const v = u8();
        if (v < 2 || v > 5) fail(`pickle protocol ${v} is not one torch.save writes (2 to 5)`);
        break;
      }
      case 0x95: // FRAME: a length to skip, the frame's contents follow as usual
        u64();
        break;
      case 0x2e: { // STOP
        const result = pop();
        return result;
      }
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        if (stack.pop() === undefined) fail('the pickle pops an empty stack');
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      case 0x4e: push(null); break; // NONE
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4a: push(view.getInt32(need(4), true)); break; // BININT
      case 0x4b: push(u8()); break; // BININT1
      case 0x4d: push(u16()); break; // BININT2
      case 0x8a: { // LONG1: little-endian two's complement of n bytes
        const n = u8();
        const b = slice(n);
        let v = 0n;
        for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k] as number);
        if (n > 0 && ((b[n - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * n);
        push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x58: push(utf8(u32())); break; // BINUNICODE
      case 0x8c: push(utf8(u8())); break; // SHORT_BINUNICODE
      case 0x8d: push(utf8(u64())); break; // BINUNICODE8
      case 0x42: push(slice(u32())); break; // BINBYTES
      case 0x43: push(slice(u8())); break; // SHORT_BINBYTES
      case 0x8e: push(slice(u64())); break; // BINBYTES8
      case 0x54: push(utf8(u32())); break; // BINSTRING (Python 2 str)
      case 0x55: push(utf8(u8())); break; // SHORT_BINSTRING
      case 0x7d: push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { // DICT
        const d = new PyDict();
        setItems(d, popMark());
        push(d);
        break;
      }
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x6c: push(popMark()); break; // LIST
      case 0x29: push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { // TUPLE2
        const b = pop();
        push(new PyTuple([pop(), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop();
        const b = pop();
        push(new PyTuple([pop(), b, c]));
        break;
      }
      case 0x61: { // APPEND
        const v = pop();
        const list = top();
        if (!Array.isArray(list)) fail('the pickle appends to something that is not a list');
        (list as PyValue[]).push(v);
        break;
      }
      case 0x65: { // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) fail('the pickle appends to something that is not a list');
        for (const v of items) (list as PyValue[]).push(v);
        break;
      }
      case 0x73: { // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: { // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x71: memoize(u8()); break; // BINPUT
      case 0x72: memoize(u32()); break; // LONG_BINPUT
      case 0x94: memoize(memo.size); break; // MEMOIZE
      case 0x68: recall(u8()); break; // BINGET
      case 0x6a: recall(u32()); break; // LONG_BINGET
      case 0x63: { // GLOBAL "module\nname\n": only named
        const module = line();
        push(global(module, line()));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        push(global(module as string, name as string));
        break;
      }
      case 0x51: push(opts.persistentLoad(pop())); break; // BINPERSID
      case 0x52: { // REDUCE: callable(*args), for the callables the caller allows
        const args = pop();
        const callable = pop();
        if (!(callable instanceof PyGlobal)) fail('the pickle calls something that is not a named global');
        if (!(args instanceof PyTuple)) fail(`the pickle calls ${String(callable)} without an argument tuple`);
        const made = opts.reduce(callable as PyGlobal, (args as PyTuple).items);
        if (made === undefined) fail(`the pickle calls ${String(callable)}, which a state_dict never holds: refused (nothing in a model file is run)`);
        push(made as PyValue);
        break;
      }
      case 0x62: { // BUILD: state set on an object; a state_dict's OrderedDict carries _metadata
        pop();
        const target = top();
        if (!(target instanceof PyDict) && !(target instanceof PyOpaque)) fail('the pickle builds an object a state_dict does not hold');
        break;
      }
      default:
        fail(`the pickle uses opcode ${NAMES[op] ?? `0x${op.toString(16)}`}, which a state_dict never holds: refused (nothing in a model file is run)`);
    }
  }
}
