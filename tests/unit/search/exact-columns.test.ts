import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import { bruteAuc, pearson } from '../../helpers/brute-stats.ts';
import { recordedRange } from '../../helpers/recorded-run.ts';
import { saveTfjsModel } from '../../helpers/tfjs-model-files.ts';
import type { Db } from '../../../lib/db/client.ts';
import { createCorpus } from '../../../lib/db/corpora.ts';
import { getRecording, type RecordingSummary } from '../../../lib/db/recordings.ts';
import { importTfjsModel } from '../../../lib/import/import-model.ts';
import { readStateWindow } from '../../../lib/record/window.ts';
import { featureTrack } from '../../../lib/corpus/feature-tracks.ts';
import { rankCells } from '../../../lib/search/cell-finder.ts';
import { hasLegacyColumns, loadColumns } from '../../../lib/search/columns.ts';
import { reindexCommand } from '../../../lib/cli/reindex-command.ts';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';

/**
 * Issue 13: the cell finder ranked on int8 columns that clamped c at ±4, so a counter-like cell
 * running to −250 collapsed to one value and scored AUC 0.56 where the exported states gave 0.81.
 * Here a hand-set LSTM has such a counter (cell 0: input and forget gates open, candidate −1 on
 * every character but a quote, +1 on a quote) beside ordinary cells, and every score the finder
 * gives must equal the one computed on the float16 states the recording stores.
 */
let db: Db;
let cleanup: () => Promise<void>;
let rec: RecordingSummary;
const TEXT = 'he said "no, not now" and then "yes" at last.\nshe wrote it down. '.repeat(20);
const START = 10;
const END = 1200;
const UNITS = 4;

before(async () => {
  ({ db, cleanup } = await tempDb());
  await ensureBackend();
  const corpus = await createCorpus(db, { name: 'quotes', text: TEXT });
  const chars = JSON.parse((await db.prisma.corpus.findUniqueOrThrow({ where: { id: corpus.id } })).vocab) as string[];
  const V = chars.length;
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: UNITS, returnSequences: true, inputShape: [null, V] }));
  model.add(tf.layers.dense({ units: V, activation: 'softmax' }));
  // Keras gate order i, f, c (candidate), o, each UNITS wide.
  const rnd = (n: number, seed: number): number[] => Array.from({ length: n }, (_, k) => Math.sin(seed * 7.31 + k * 1.93) * 0.8);
  const kernel = rnd(V * 4 * UNITS, 1);
  const recurrent = rnd(UNITS * 4 * UNITS, 2).map((v, k) => (Math.floor(k / (4 * UNITS)) === 0 || k % UNITS === 0 ? 0 : v));
  const bias = rnd(4 * UNITS, 3);
  const quote = chars.indexOf('"');
  for (let v = 0; v < V; v++) {
    kernel[v * 4 * UNITS + 0 * UNITS] = 0;
    kernel[v * 4 * UNITS + 1 * UNITS] = 0;
    kernel[v * 4 * UNITS + 2 * UNITS] = v === quote ? 40 : -20;
  }
  bias[0 * UNITS] = 30; // input gate open
  bias[1 * UNITS] = 30; // forget gate open: c accumulates
  bias[2 * UNITS] = 0;
  model.layers[0]?.setWeights([tf.tensor2d(kernel, [V, 4 * UNITS]), tf.tensor2d(recurrent, [UNITS, 4 * UNITS]), tf.tensor1d(bias)]);
  const { modelJson, files } = await saveTfjsModel(model);
  model.dispose();
  const run = await importTfjsModel(db, { modelJson: JSON.stringify(modelJson), files, corpusId: corpus.id });
  rec = await getRecording(db, await recordedRange(db, { runId: run.runId, start: START, end: END }));
});
after(() => cleanup());

/** One cell's stored (float16) values of a quantity over the whole recording. */
async function stored(quantity: string, cell: number): Promise<Float32Array> {
  return (await readStateWindow(db.raw, rec, 0, quantity, START, END, [cell])).values;
}

const recorded = (): string => [...TEXT].slice(START, END).join('');

test('the counter cell really runs far past ±4 (to below −250), and its column holds the stored float16 values exactly', async () => {
  const c0 = await stored('c', 0);
  assert.ok(Math.min(...c0) < -250, `c of cell 0 reaches ${Math.min(...c0)}`);
  const { values, approximate } = await loadColumns(db, rec, 0, 'c', [0, 1]);
  assert.equal(approximate, false);
  assert.deepEqual(Array.from(values.subarray(0, END - START)), Array.from(c0));
  assert.deepEqual(Array.from(values.subarray(END - START)), Array.from(await stored('c', 1)));
});

test('cell finder: every AUC (quotes) and every correlation (line position) equals the one computed on the stored float16 states', async () => {
  const quote = await rankCells(db, rec.id, { feature: 'quote', limit: 100 });
  assert.equal(quote.approximate, undefined);
  assert.equal(quote.cells.length, 2 * UNITS);
  const inside = featureTrack(recorded(), 'quote');
  for (const cell of quote.cells) {
    const want = bruteAuc(await stored(cell.quantity, cell.index), inside);
    assert.ok(Math.abs(cell.score - want) < 1e-12, `${cell.quantity}${cell.index}: ${cell.score} vs ${want}`);
  }
  const line = await rankCells(db, rec.id, { feature: 'line', limit: 100 });
  const position = featureTrack(recorded(), 'line');
  for (const cell of line.cells) {
    const want = pearson(await stored(cell.quantity, cell.index), position);
    assert.ok(Math.abs(cell.score - want) < 1e-9, `${cell.quantity}${cell.index}: r ${cell.score} vs ${want}`);
  }
  const counter = quote.cells.find((c) => c.quantity === 'c' && c.index === 0);
  assert.ok(counter && counter.threshold !== undefined && Math.abs(counter.threshold) > 4, `the counter's threshold is in its own units: ${counter?.threshold}`);
});

/** The int8 rows the index wrote before issue 13: round(127 · clamp(v / scale, −1, 1)), c over ±4. */
async function writeLegacyColumns(): Promise<void> {
  const T = END - START;
  for (const quantity of ['h', 'c']) {
    for (let cell = 0; cell < UNITS; cell++) {
      const v = await stored(quantity, cell);
      const scale = quantity === 'c' ? 4 : 1;
      const q = Int8Array.from(v, (x) => Math.round(127 * Math.max(-1, Math.min(1, x / scale))));
      await db.raw.run('UPDATE "CellColumn" SET "data" = ? WHERE "recordingId" = ? AND "layer" = 0 AND "quantity" = ? AND "cell" = ? AND "block" = 0', [new Uint8Array(q.buffer, 0, T), rec.id, quantity, cell]);
    }
  }
}

test('a recording indexed before exact columns still answers, says its scores are approximate, and cellscope reindex makes them exact', async () => {
  await writeLegacyColumns();
  assert.equal(await hasLegacyColumns(db, rec), true);
  const old = await rankCells(db, rec.id, { feature: 'regex', regex: '"', limit: 100 });
  assert.match(old.approximate ?? '', new RegExp(`cellscope reindex --recording ${rec.id}`));
  const clamped = (await loadColumns(db, rec, 0, 'c', [0])).values;
  assert.ok(Math.min(...clamped) >= -4.01, 'the old layout clamps c at −4');
  const reindex = async (...args: string[]): Promise<Record<string, unknown>> => {
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    // (The test runner writes to stdout too: only the command's JSON line is kept.)
    process.stdout.write = ((s: string | Uint8Array) => (typeof s === 'string' && s.startsWith('{"recording') ? out.push(s) > 0 : write(s))) as typeof process.stdout.write;
    try {
      await reindexCommand(db, [...args, '--json']);
    } finally {
      process.stdout.write = write;
    }
    return JSON.parse(out.join('')) as Record<string, unknown>;
  };
  const rebuilt = (await reindex('--outdated')).recordings as { recordingId: number }[];
  assert.deepEqual(rebuilt.map((r) => r.recordingId), [rec.id], 'the recording in the int8 layout is rebuilt');
  assert.deepEqual((await reindex('--outdated')).recordings, [], 'nothing left to rebuild');
  assert.equal((await reindex('--recording', String(rec.id))).recordingId, rec.id);
  assert.equal(await hasLegacyColumns(db, rec), false);
  // The same question as before the rebuild: not answered from the ranking cached then.
  const fresh = await rankCells(db, rec.id, { feature: 'regex', regex: '"', limit: 100 });
  assert.equal(fresh.approximate, undefined);
  const quoteMarks = Array.from(recorded(), (ch) => (ch === '"' ? 1 : 0));
  for (const cell of fresh.cells) assert.ok(Math.abs(cell.score - bruteAuc(await stored(cell.quantity, cell.index), quoteMarks)) < 1e-12);
});
