import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { recordedRange, trainedRun } from '../../helpers/recorded-run.ts';
import type { Db } from '../../../lib/db/client.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { readStateWindow } from '../../../lib/record/window.ts';
import { neuronDetails } from '../../../lib/neurons/neuron-details.ts';
import { gateSaturation } from '../../../lib/neurons/gate-saturation.ts';
import { featureTrack } from '../../../lib/corpus/feature-tracks.ts';

let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
const TEXT = 'she said "yes (maybe)" and left.\n  if (x) { y(); }\n'.repeat(50);
const START = 40;
const END = 2200;

before(async () => {
  ({ db, cleanup } = await tempDb());
  const { runId } = await trainedRun(db, TEXT, { layers: 2, hidden: 16, batch: 4, seq: 16, steps: 15, learningRate: 0.02, evalEvery: 15, checkpointEvery: 15, evalChars: 200 });
  recordingId = await recordedRange(db, { runId, start: START, end: END });
});
after(() => cleanup());

test('a finished recording keeps per-cell statistics of every quantity, equal to the stored states', async () => {
  const rec = await getRecording(db, recordingId);
  const T = END - START;
  for (const [layer, quantity, cell] of [[0, 'c', 3], [1, 'h', 0], [1, 'f', 15]] as const) {
    const d = await neuronDetails(db, recordingId, { layer, quantity, cell });
    const w = await readStateWindow(db.raw, rec, layer, quantity, START, END, [cell]);
    const v = Array.from(w.values);
    const mean = v.reduce((a, b) => a + b, 0) / T;
    assert.ok(Math.abs(d.mean - mean) < 1e-6, `${quantity} mean ${d.mean} vs ${mean}`);
    assert.equal(d.max, Math.max(...v));
    assert.equal(d.min, Math.min(...v));
    assert.equal(d.hist.counts.reduce((a, b) => a + b, 0), T);
    assert.equal(d.top[0]?.value, d.max, 'the first top example is the maximum');
    assert.equal(d.bottom[0]?.value, d.min);
    const peak = d.top[0];
    assert.ok(peak);
    // Each example carries the text around its peak and the cell's values there.
    const k = peak.pos - peak.start;
    assert.equal(peak.chars.join(''), TEXT.slice(peak.start, peak.start + peak.chars.length));
    assert.ok(Math.abs((peak.values[k] ?? 0) - peak.value) < 1e-3);
    if (quantity === 'f') {
      assert.equal(d.low, v.filter((x) => x < 0.1).length / T);
      assert.equal(d.features.length, 0, 'gates are not correlated with features');
    } else {
      const quote = featureTrack(TEXT.slice(START, END), 'quote');
      const r = d.features.find((f) => f.feature === 'quote')?.r ?? NaN;
      const qm = quote.reduce((a, b) => a + b, 0) / T;
      let num = 0;
      let dv = 0;
      let dq = 0;
      v.forEach((x, t) => {
        num += (x - mean) * ((quote[t] as number) - qm);
        dv += (x - mean) ** 2;
        dq += ((quote[t] as number) - qm) ** 2;
      });
      assert.ok(Math.abs(r - num / Math.sqrt(dv * dq)) < 1e-4, `${quantity} quote correlation ${r}`);
      assert.equal(d.features.length, 8);
    }
  }
});

test('gate saturation: every gate unit of every layer; neuron questions validated', async () => {
  const g = await gateSaturation(db, recordingId);
  assert.deepEqual(g.gates, ['i', 'f', 'o']);
  assert.equal(g.points.length, 2 * 3 * 16);
  for (const p of g.points) assert.ok(p.low >= 0 && p.high >= 0 && p.low + p.high <= 1 + 1e-9);
  await assert.rejects(neuronDetails(db, recordingId, { layer: 2, quantity: 'h', cell: 0 }), /layer 2 does not exist: the recording has layers 0-1/);
  await assert.rejects(neuronDetails(db, recordingId, { layer: 0, quantity: 'z', cell: 0 }), /quantity must be one of c, h, i, f, o, g/);
  await assert.rejects(neuronDetails(db, recordingId, { layer: 0, quantity: 'h', cell: 16 }), /cell 16 does not exist: layer 0 has cells 0-15/);
});

test('a recording made before neuron statistics existed says so', async () => {
  await db.raw.run('DELETE FROM "NeuronStat" WHERE "recordingId" = ?', [recordingId]);
  await assert.rejects(neuronDetails(db, recordingId, { layer: 0, quantity: 'h', cell: 0 }), /has no neuron statistics .*cellscope reindex --recording \d+/);
  await assert.rejects(gateSaturation(db, recordingId), /has no neuron statistics/);
});
