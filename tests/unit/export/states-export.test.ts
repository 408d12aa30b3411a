import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { readStateWindow } from '../../../lib/record/window.ts';
import { encodeNpy } from '../../../lib/export/npy.ts';
import { exportBytes, exportStates } from '../../../lib/export/states-export.ts';

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

/** An independent .npy reader, following numpy.lib.format's description. */
function readNpy(bytes: Uint8Array): { shape: number[]; descr: string; fortran: boolean; data: Float32Array; headerEnd: number } {
  assert.deepEqual(Array.from(bytes.subarray(0, 6)), [0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0))]);
  assert.equal(bytes[6], 1);
  const hlen = (bytes[8] as number) | ((bytes[9] as number) << 8);
  const header = new TextDecoder('latin1').decode(bytes.subarray(10, 10 + hlen));
  assert.ok(header.endsWith('\n'));
  const descr = /'descr': '([^']+)'/.exec(header)?.[1] ?? '';
  const fortran = /'fortran_order': True/.test(header);
  const shape = (/'shape': \(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const start = 10 + hlen;
  const dv = new DataView(bytes.buffer, bytes.byteOffset + start);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, descr, fortran, data: Float32Array.from({ length: n }, (_, k) => dv.getFloat32(4 * k, true)), headerEnd: start };
}

let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
const TEXT = 'one, "two", three\nfour\n'.repeat(40);

before(async () => {
  ({ db, cleanup } = await tempDb());
  const { runId } = await trainedRun(db, TEXT, { layers: 1, hidden: 16, batch: 4, seq: 16, steps: 5, evalEvery: 5, checkpointEvery: 5, evalChars: 100 });
  recordingId = await recordedRange(db, { runId, start: 10, end: 400 });
});
after(() => cleanup());

test('encodeNpy: a v1.0 header aligned to 64 bytes, little-endian float32 in C order', () => {
  for (const shape of [[3, 2], [5], [1, 1]]) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Float32Array.from({ length: n }, (_, k) => k * 0.5 - 1);
    const bytes = encodeNpy(data, shape);
    const r = readNpy(bytes);
    assert.equal(r.headerEnd % 64, 0);
    assert.equal(r.descr, '<f4');
    assert.equal(r.fortran, false);
    assert.deepEqual(r.shape, shape);
    assert.deepEqual(Array.from(r.data), Array.from(data));
  }
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 2]), /holds 4 values, got 5/);
});

test('states export: npy, JSON and CSV hold the stored values of the range; bad requests are named', async () => {
  const rec = await getRecording(db, recordingId);
  const w = await readStateWindow(db.raw, rec, 0, 'c', 50, 80);
  const T = 30;
  const H = rec.hidden;
  const want = (t: number, c: number): number => w.values[c * T + t] as number;
  const npy = readNpy((await exportBytes(await exportStates(db, recordingId, { layer: 0, quantity: 'c', start: 50, end: 80, format: 'npy' }))));
  assert.deepEqual(npy.shape, [T, H]);
  for (let t = 0; t < T; t++) for (let c = 0; c < H; c++) assert.equal(npy.data[t * H + c], want(t, c));
  const json = JSON.parse(new TextDecoder().decode((await exportBytes(await exportStates(db, recordingId, { layer: 0, quantity: 'c', start: 50, end: 80, format: 'json' }))))) as { layer: number; quantity: string; start: number; end: number; data: number[][] };
  assert.deepEqual([json.layer, json.quantity, json.start, json.end, json.data.length, json.data[0]?.length], [0, 'c', 50, 80, T, H]);
  assert.equal(json.data[7]?.[3], want(7, 3));
  const csv = parseCsv(new TextDecoder().decode((await exportBytes(await exportStates(db, recordingId, { layer: 0, quantity: 'c', start: 50, end: 80, format: 'csv' })))));
  assert.equal(csv.length, T + 1);
  assert.ok(csv.every((r) => r.length === H + 2), 'every row has position, character and the cells');
  // Characters that are commas, quotes or newlines stay one field each.
  csv.slice(1).forEach((r, t) => {
    assert.equal(r[0], String(50 + t));
    assert.equal(r[1], TEXT[50 + t]);
    assert.equal(Number(r[2 + 3]), want(t, 3));
  });
  assert.ok(csv.slice(1).some((r) => r[1] === ',') && csv.slice(1).some((r) => r[1] === '"') && csv.slice(1).some((r) => r[1] === '\n'));
  await assert.rejects(exportStates(db, recordingId, { layer: 0, quantity: 'c', start: 0, end: 80, format: 'npy' }), /inside the recorded range 10..400/);
  await assert.rejects(exportStates(db, recordingId, { layer: 0, quantity: 'z', start: 50, end: 80, format: 'npy' }), /quantity must be one of/);
  await assert.rejects(exportStates(db, recordingId, { layer: 0, quantity: 'c', start: 50, end: 80, format: 'xlsx' }), /format must be one of npy, csv, json/);
});

test('exports stream in bounded blocks: no block holds more than ~2^18 values, however long the range (issue 11, finding 18)', async () => {
  const rec = await getRecording(db, recordingId);
  for (const format of ['npy', 'csv', 'json']) {
    const file = await exportStates(db, recordingId, { layer: 0, quantity: 'h', start: rec.start, end: rec.end, format });
    let blocks = 0;
    let biggest = 0;
    for await (const b of file.blocks) {
      blocks++;
      biggest = Math.max(biggest, b.length);
    }
    assert.ok(blocks >= 2, `${format}: ${blocks} blocks`);
    assert.ok(biggest <= 16 * 2 ** 18, `${format}: a block of ${biggest} bytes`);
  }
});

test('without a range the whole recording is exported, and numpy reads the .npy as Cellscope wrote it', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const rec = await getRecording(db, recordingId);
  const bytes = await exportBytes(await exportStates(db, recordingId, { layer: 0, quantity: 'h', format: 'npy' }));
  const npy = readNpy(bytes);
  assert.deepEqual(npy.shape, [rec.end - rec.start, rec.hidden]);
  const w = await readStateWindow(db.raw, rec, 0, 'h', rec.start, rec.end);
  const T = rec.end - rec.start;
  assert.equal(npy.data[(T - 1) * rec.hidden + 5], w.values[5 * T + T - 1], 'the last step of cell 5');
  // numpy itself, where python3 has it (Debian's python3-numpy); else the reader above stands.
  const python = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  if (python.status !== 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'cellscope-npy-'));
  try {
    writeFileSync(join(dir, 'h.npy'), bytes);
    const r = spawnSync('/usr/bin/python3', ['-c', 'import numpy as np, sys, json; a = np.load(sys.argv[1]); print(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "sum": float(a.astype(np.float64).sum()), "last": float(a[-1, 5])}))', join(dir, 'h.npy')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { shape: number[]; dtype: string; sum: number; last: number };
    assert.deepEqual([got.shape, got.dtype], [[T, rec.hidden], 'float32']);
    assert.equal(got.last, npy.data[(T - 1) * rec.hidden + 5]);
    assert.ok(Math.abs(got.sum - Array.from(npy.data).reduce((a, b) => a + b, 0)) < 1e-6 * T * rec.hidden);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
