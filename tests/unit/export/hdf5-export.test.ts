import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { loadCorpusTokens } from '../../../lib/db/corpora.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { exportHdf5 } from '../../../lib/export/hdf5-export.ts';
import { readStateWindow } from '../../../lib/record/window.ts';

// Issue 12, take it out again: a whole recording as one HDF5 file. Read back through HDF5 itself
// (h5wasm: the HDF5 C library compiled to WebAssembly), not through Cellscope's writer.
let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
const dir = mkdtempSync(join(tmpdir(), 'cellscope-h5-export-'));

before(async () => {
  ({ db, cleanup } = await tempDb());
  const { runId } = await trainedRun(db, 'to be or not to be, that is the question.\n'.repeat(20), { arch: 'gru', layers: 2, hidden: 16, batch: 4, seq: 16, steps: 5, evalEvery: 5, checkpointEvery: 5, evalChars: 100 });
  recordingId = await recordedRange(db, { runId, start: 3, end: 700 });
});
after(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('every layer and quantity, the tokens and the vocabulary, with the recording named in attributes', async () => {
  const out = await exportHdf5(db, recordingId, join(dir, 'rec.h5'), { blockSteps: 128 });
  const rec = await getRecording(db, recordingId);
  const T = rec.end - rec.start;
  assert.deepEqual(out.datasets.map((d) => d.path), [0, 1].flatMap((l) => rec.quantities.map((q) => `/layer${l}/${q}`)).concat(['/tokens', '/vocab']));
  const h5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const f = new h5wasm.File(out.file, 'r');
  try {
    const attr = (name: string): unknown => f.attrs[name]?.value;
    assert.deepEqual([attr('recording'), attr('start'), attr('end'), attr('unit')], [recordingId, 3, 700, 'char']);
    for (let layer = 0; layer < 2; layer++) {
      for (const q of rec.quantities) {
        const d = f.get(`layer${layer}/${q}`) as InstanceType<typeof h5wasm.Dataset>;
        assert.deepEqual(d.shape, [T, rec.hidden]);
        const got = d.value as Float32Array;
        const want = await readStateWindow(db.raw, rec, layer, q, rec.start, rec.end);
        // The window is cell-major ([cell][t]); the file is [t][cell].
        for (const [t, c] of [[0, 0], [127, 5], [128, 5], [T - 1, rec.hidden - 1]] as const) assert.equal(got[t * rec.hidden + c], want.values[c * T + t], `layer ${layer} ${q} t=${t} c=${c}`);
      }
    }
    const tokens = await loadCorpusTokens(db, rec.corpusId);
    assert.deepEqual(Array.from((f.get('tokens') as InstanceType<typeof h5wasm.Dataset>).value as Int32Array), Array.from(tokens.ids.subarray(3, 700)));
    assert.deepEqual((f.get('vocab') as InstanceType<typeof h5wasm.Dataset>).value, tokens.vocab.chars);
  } finally {
    f.close();
  }
});
