import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PyDict, PyGlobal, PyOpaque, PyTuple, unpickle, type PyValue } from '../../../../lib/import/torch/pickle.ts';

// The restricted pickle reader (issue 12): the data opcodes of protocols 2 to 5 as CPython's
// own pickle writes them (the hex below is pickle.dumps of one value at protocols 2, 4 and 5), and
// nothing that imports or runs code.
const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const refuseAll = { what: 'test.pkl', reduce: () => undefined, persistentLoad: () => null };

/** A PyValue as plain JSON-like data, for comparing. */
function plain(v: PyValue): unknown {
  if (v instanceof PyDict) return Object.fromEntries([...v.entries].map(([k, x]) => [k, plain(x)]));
  if (v instanceof PyTuple) return { tuple: v.items.map(plain) };
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Uint8Array) return { bytes: [...v] };
  return v;
}

// {'a': (1, -2, 3.5, True, None), 'b': [300, 70000, 2**40, -(2**70), 'é'], 'c': (('x',), ('x','y'), ('x','y','z'), ()), 'e': <the same tuple as c>}
const P2 = '80027d7100285801000000617101284b014afeffffff47400c000000000000884e74710258010000006271035d7104284d2c014a701101008a060000000000018a090000000000000000c05802000000c3a971056558010000006371062858010000007871078571086807580100000079710986710a6807680958010000007a710b87710c2974710d580100000065710e680d752e';
// The same with 'd': b'\x00\x01' (protocol 3 and later write bytes directly), at protocols 4 and 5 (FRAME, MEMOIZE, SHORT_BINUNICODE).
const P4 = '80049575000000000000007d94288c016194284b014afeffffff47400c000000000000884e74948c0162945d94284d2c014a701101008a060000000000018a090000000000000000c08c02c3a994658c016394288c017894859468078c0179948694680768098c017a9487942974948c01649443020001948c016594680d752e';
const P5 = P4.replace(/^8004/, '8005');

test('protocols 2, 4 and 5: ints of every width, floats, booleans, None, strings, bytes, lists, tuples, dicts and memo references', () => {
  const c = { tuple: [{ tuple: ['x'] }, { tuple: ['x', 'y'] }, { tuple: ['x', 'y', 'z'] }, { tuple: [] }] };
  const want = { a: { tuple: [1, -2, 3.5, true, null] }, b: [300, 70000, 2 ** 40, -(2n ** 70n), 'é'], c, e: c };
  assert.deepEqual(plain(unpickle(hex(P2), refuseAll)), want);
  for (const p of [P4, P5]) assert.deepEqual(plain(unpickle(hex(p), refuseAll)), { ...want, d: { bytes: [0, 1] }, e: c });
  // A memo reference is the very same object, as in Python.
  const v = unpickle(hex(P2), refuseAll) as PyDict;
  assert.equal(v.entries.get('c'), v.entries.get('e'));
});

test('GLOBAL only names; REDUCE runs only what the caller allows, and anything else is refused by name', () => {
  // pickle.dumps of an object whose __reduce__ returns (os.system, ('true',)), protocol 2.
  const evil = hex('800263706f7369780a73797374656d0a710058040000007472756571018571025271032e');
  assert.throws(() => unpickle(evil, refuseAll), /test\.pkl: the pickle calls posix\.system, which a state_dict never holds: refused/);
  const calls: string[] = [];
  const made = unpickle(evil, { ...refuseAll, reduce: (g, args) => (calls.push(`${String(g)}(${args.join(',')})`), new PyOpaque('ok')) });
  assert.deepEqual(calls, ['posix.system(true)']);
  assert.ok(made instanceof PyOpaque && made.value === 'ok');
  // Protocol 0's class instances (copyreg._reconstructor, PUT) and NEWOBJ/INST/OBJ are refused.
  const obj = hex('63636f70795f7265670a5f7265636f6e7374727563746f720a70300a28635f5f6d61696e5f5f0a4f0a70310a635f5f6275696c74696e5f5f0a6f626a6563740a70320a4e7470330a5270340a2e');
  assert.throws(() => unpickle(obj, refuseAll), /uses opcode PUT, which a state_dict never holds/);
  for (const [op, name] of [[0x81, 'NEWOBJ'], [0x69, 'INST'], [0x6f, 'OBJ'], [0x82, 'EXT1']] as const) assert.throws(() => unpickle(Uint8Array.from([0x80, 2, op]), refuseAll), new RegExp(`opcode ${name}`));
  assert.ok(unpickle(hex('80026372650a636f6d70696c650a2e'), refuseAll) instanceof PyGlobal, 'a global by itself is only a name');
});

test('broken pickles are 400s that say what is wrong', () => {
  for (const [bytes, message] of [
    [hex(P2).subarray(0, 40), /ends in the middle of an opcode/],
    [Uint8Array.from([0x80, 9]), /protocol 9/],
    [Uint8Array.from([0x80, 2, 0x2e]), /pops a value that is not there/],
    [Uint8Array.from([0x80, 2, 0x68, 7, 0x2e]), /recalls memo 7, which it never stored/],
    [Uint8Array.from([0x80, 2, 0x4b, 0, 0x4b, 1, 0x4b, 2, 0x73, 0x2e]), /sets items on something that is not a dict/],
    [Uint8Array.from([0x80, 2, 0x74, 0x2e]), /no MARK/],
  ] as const) assert.throws(() => unpickle(bytes, refuseAll), (e: unknown) => e instanceof Error && message.test(e.message) && (e as { field?: string }).field === 'files', String(message));
});
