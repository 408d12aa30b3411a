import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import h5wasm from 'h5wasm/node';
import { tempDb } from '../../helpers/temp-db.ts';
import type { Db } from '../../../lib/db/client.ts';
import { BadRequestError, PayloadTooLargeError } from '../../../lib/errors.ts';
import { importLstmvisProject, MAX_LSTMVIS_META } from '../../../lib/import/lstmvis-project.ts';
import { folderProject, memoryProject, projectPath } from '../../../lib/import/project-files.ts';
import { unzipInMemory, unzipProject } from '../../../lib/import/unzip-project.ts';

// Issue 11, findings 1, 4, 5, 7 and 21: what an uploaded LSTMVis project may make the server do.
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'hdf5-outside');
const SECRET = '/tmp/cellscope-secret.h5';
let db: Db;
let cleanup: () => Promise<void>;
const dir = mkdtempSync(join(tmpdir(), 'cellscope-refusals-'));

/** lstm.yml reading word_ids and states1 from `data` (T steps, 4 cells), with optional meta. */
function yml(opts: { meta?: string } = {}): string {
  return `files:\n  data: data.h5\n  words: words.dict\nword_sequence:\n  file: data\n  path: word_ids\n  dict_file: words\nstates:\n  file: data\n  types: [{type: state, layer: 1, path: states1}]\n${opts.meta ?? ''}`;
}
const dict = Array.from({ length: 256 }, (_, k) => `w${k} ${k}`).join('\n');
const project = (h5: Uint8Array, opts: { meta?: string } = {}): Map<string, Uint8Array> =>
  new Map([['lstm.yml', new TextEncoder().encode(yml(opts))], ['words.dict', new TextEncoder().encode(dict)], ['data.h5', h5]]);
const sizeOf = (files: Map<string, Uint8Array>): number => [...files.values()].reduce((a, b) => a + b.length, 0);

before(async () => {
  ({ db, cleanup } = await tempDb());
  // The file the external link and the virtual dataset point at exists, so a reader that
  // followed them would succeed.
  await h5wasm.ready;
  const f = new h5wasm.File(SECRET, 'w');
  f.create_dataset({ name: 'ids', data: Int32Array.from({ length: 64 }, (_, k) => 100 + k), shape: [64], dtype: '<i4' });
  f.close();
});
after(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
  rmSync(SECRET, { force: true });
});

test('HDF5 that points outside itself (external storage, external link, virtual dataset) is refused with a 400, from memory and from disk; nothing is read or stored', async () => {
  const before = await db.prisma.corpus.count();
  for (const name of ['external-storage.h5', 'external-link.h5', 'virtual.h5']) {
    const files = project(readFileSync(join(FIXTURES, name)));
    const err = await importLstmvisProject(db, memoryProject(files, sizeOf(files))).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof BadRequestError, `${name}: ${String(err)}`);
    assert.match(err.message, /lies outside the file \(external storage, an external link or a virtual dataset\)/, name);
    // The CLI's disk reader refuses them too.
    const folder = join(dir, name.replace('.h5', ''));
    mkdirSync(folder, { recursive: true });
    for (const [n, b] of files) writeFileSync(join(folder, n), b);
    await assert.rejects(importLstmvisProject(db, folderProject(folder)), /lies outside the file/, `${name} from disk`);
  }
  assert.equal(await db.prisma.corpus.count(), before, 'nothing stored');
  const text = (await db.prisma.corpus.findMany({ select: { text: true } })).map((c) => c.text).join('');
  assert.ok(!text.includes('root:'), '/etc/passwd never reaches a corpus');
});

test('an HDF5 file of fill-value datasets (1.7 KB declaring 200,000 × 64 states) is a 413: an upload may store at most 8× its size', async () => {
  const files = project(readFileSync(join(FIXTURES, 'fill-value.h5')));
  const err = await importLstmvisProject(db, memoryProject(files, sizeOf(files))).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof PayloadTooLargeError, String(err));
  assert.match(err.message, /would store \d+\.\d MB from 0\.00 MB uploaded; an upload may store at most 8 times its size/);
  assert.equal(await db.prisma.corpus.count(), 0);
});

test(`more than ${MAX_LSTMVIS_META} meta entries are refused before any is read; repeated ones are read once`, async () => {
  await h5wasm.ready;
  const path = join(dir, 'small.h5');
  const f = new h5wasm.File(path, 'w');
  f.create_dataset({ name: 'word_ids', data: Int32Array.from({ length: 64 }, (_, k) => k % 5), shape: [64], dtype: '<i4' });
  f.create_dataset({ name: 'states1', data: Float32Array.from({ length: 256 }, (_, k) => Math.sin(k)), shape: [64, 4], dtype: '<f4' });
  f.create_dataset({ name: 'tags', data: Int32Array.from({ length: 64 }, (_, k) => k % 3), shape: [64], dtype: '<i4' });
  f.close();
  const h5 = readFileSync(path);
  const entry = (k: number): string => `  m${k}:\n    file: data\n    path: tags\n`;
  const many = project(h5, { meta: `meta:\n${Array.from({ length: MAX_LSTMVIS_META + 1 }, (_, k) => entry(k)).join('')}` });
  await assert.rejects(importLstmvisProject(db, memoryProject(many, sizeOf(many))), new RegExp(`has ${MAX_LSTMVIS_META + 1} meta entries; Cellscope imports up to ${MAX_LSTMVIS_META}`));
  const twice = project(h5, { meta: `meta:\n${entry(0)}${entry(1)}` });
  const r = await importLstmvisProject(db, memoryProject(twice, sizeOf(twice)));
  assert.deepEqual(r.labelTracks, ['m0']);
  assert.match(r.warnings.join(' '), /meta m1 repeats an earlier annotation/);
  await db.prisma.corpus.delete({ where: { id: r.corpusId } });
});

test('NaN states are a 400 naming the layer, step and cell', async () => {
  await h5wasm.ready;
  const path = join(dir, 'nan.h5');
  const f = new h5wasm.File(path, 'w');
  f.create_dataset({ name: 'word_ids', data: Int32Array.from({ length: 64 }, (_, k) => k % 5), shape: [64], dtype: '<i4' });
  const values = Float32Array.from({ length: 256 }, (_, k) => Math.sin(k));
  values[4 * 10 + 2] = NaN;
  f.create_dataset({ name: 'states1', data: values, shape: [64, 4], dtype: '<f4' });
  f.close();
  const files = project(readFileSync(path));
  await assert.rejects(importLstmvisProject(db, memoryProject(files, sizeOf(files))), /layer 1 state holds NaN at step 10, cell 2: states must be finite/);
  assert.equal(await db.prisma.corpus.count(), 0, 'the corpus made before the states were read is removed');
});

test('zips: a bomb stops at 100× its size (counted as inflated, not as declared), a real project unpacks; names that are not files are 400s without server paths', () => {
  const bomb = zipSync({ 'states.h5': new Uint8Array(64 * 1024 ** 2) }, { level: 9 });
  assert.ok(bomb.length < 200_000);
  assert.throws(() => unzipInMemory(bomb), (e: unknown) => e instanceof PayloadTooLargeError && /unpacks to over \d+ MB/.test(e.message));
  // A zip whose header understates the size is stopped all the same.
  const lying = bomb.slice();
  for (let k = 0; k + 30 < lying.length; k++) {
    if (lying[k] === 0x50 && lying[k + 1] === 0x4b && lying[k + 2] === 0x03 && lying[k + 3] === 0x04) lying.set([1, 0, 0, 0], k + 22); // local header: uncompressed size 1
  }
  assert.throws(() => unzipInMemory(lying), (e: unknown) => e instanceof PayloadTooLargeError || e instanceof BadRequestError);
  const real = zipSync({ 'proj/lstm.yml': new TextEncoder().encode('x: 1'), 'proj/a/b.dict': new TextEncoder().encode('a 1'), 'proj/': new Uint8Array(0) });
  assert.deepEqual([...unzipProject(real).keys()].sort(), ['a/b.dict', 'lstm.yml']);
  assert.throws(() => unzipInMemory(new Uint8Array([1, 2, 3])), BadRequestError);

  for (const [name, message] of [['.', /is not a file name/], ['x/', /is not a file name/], ['../etc/passwd', /outside the project/], ['/etc/passwd', /outside the project/]] as const) {
    assert.throws(() => projectPath(name), (e: unknown) => e instanceof BadRequestError && message.test(e.message) && !e.message.includes(tmpdir()), name);
  }
  assert.equal(projectPath('./a//b.h5'), 'a/b.h5');
  const bytes = new Uint8Array(1);
  assert.throws(() => memoryProject([['a', bytes], ['a/b', bytes]], 2), /a is both a file and a folder/);
  assert.throws(() => memoryProject([['a/b', bytes], ['./a/b', bytes]], 2), /holds a\/b twice/);
});
