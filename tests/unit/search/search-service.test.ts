import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDb } from '../../helpers/temp-db.ts';
import type { Db } from '../../../lib/db/client.ts';
import { createCorpus } from '../../../lib/db/corpora.ts';
import { getRecording } from '../../../lib/db/recordings.ts';
import { jobContext } from '../../../lib/jobs/job-context.ts';
import { executeRecordJob } from '../../../lib/jobs/record-job.ts';
import { executeTrainJob } from '../../../lib/jobs/train-job.ts';
import { startRecording } from '../../../lib/record/start-recording.ts';
import { readStateWindow } from '../../../lib/record/window.ts';
import { buildBitTracks } from '../../../lib/search/bit-tracks.ts';
import { activeCells } from '../../../lib/search/select.ts';
import { naiveMatch } from '../../../lib/search/naive-match.ts';
import { MATCH_TEXT_MAX, matchInRecording, selectInRecording } from '../../../lib/search/search-service.ts';
import { addLabelTrack, listLabelTracks } from '../../../lib/db/corpus-labels.ts';
import { rankCells } from '../../../lib/search/cell-finder.ts';
import { loadColumns } from '../../../lib/search/columns.ts';
import { quoteTrack } from '../../../lib/corpus/feature-tracks.ts';
import { loadTracks, TRACK_LEVELS } from '../../../lib/search/track-store.ts';
import { parseTrainConfig } from '../../../lib/train/config.ts';
import { startTrainingRun } from '../../../lib/train/start-run.ts';

let db: Db;
let cleanup: () => Promise<void>;
let recordingId = 0;
const START = 100;
const END = 2100;

before(async () => {
  ({ db, cleanup } = await tempDb());
  const text = 'she said "yes, (maybe) no" and left. '.repeat(80);
  const corpus = await createCorpus(db, { name: 'quotes', text });
  const config = parseTrainConfig({ layers: 2, hidden: 16, batch: 4, seq: 16, steps: 30, learningRate: 0.02, evalEvery: 30, checkpointEvery: 30, evalChars: 200 });
  const { runId, jobId } = await startTrainingRun(db, { corpusId: corpus.id, config, claim: true });
  await executeTrainJob(db, jobContext(db, jobId), runId);
  const rec = await startRecording(db, { runId, start: START, end: END });
  recordingId = rec.recordingId;
  await db.prisma.job.update({ where: { id: rec.jobId }, data: { status: 'running' } });
  await executeRecordJob(db, jobContext(db, rec.jobId), recordingId);
});
after(() => cleanup());

/** The recording's layer/quantity values as row-major [T, H] floats, as stored (float16). */
async function storedValues(layer: number, quantity: string): Promise<Float32Array> {
  const rec = await getRecording(db, recordingId);
  const w = await readStateWindow(db.raw, rec, layer, quantity, START, END);
  const T = END - START;
  const out = new Float32Array(T * rec.hidden);
  for (let c = 0; c < rec.hidden; c++) for (let t = 0; t < T; t++) out[t * rec.hidden + c] = w.values[c * T + t] as number;
  return out;
}

test('a finished recording carries its select & match index: h and c of every layer at every level, equal to tracks built from the stored states', async () => {
  const rows = await db.prisma.cellTrack.count({ where: { recordingId } });
  assert.equal(rows, 2 * 2 * TRACK_LEVELS.length);
  const rec = await getRecording(db, recordingId);
  for (const [layer, quantity, level] of [[0, 'h', 3], [1, 'c', 1], [1, 'h', 9]] as const) {
    const want = buildBitTracks(await storedValues(layer, quantity), END - START, rec.hidden, level / 10);
    const got = await loadTracks(db, rec, layer, quantity, level);
    assert.deepEqual(Array.from(got.words), Array.from(want.words), `${layer} ${quantity} ${level} words`);
    assert.deepEqual(Array.from(got.rows), Array.from(want.rows), `${layer} ${quantity} ${level} rows`);
  }
});

test('select and match on the stored recording equal select and the naive scan on its states; positions are corpus offsets', async () => {
  const rec = await getRecording(db, recordingId);
  const values = await storedValues(1, 'h');
  const tracks = buildBitTracks(values, END - START, rec.hidden, 0.2);
  let tried = 0;
  for (let s = START + 3; s < END - 10 && tried < 6; s += 97) {
    const q = { layer: 1, quantity: 'h', start: s, end: s + 4, threshold: 0.2 };
    const sel = await selectInRecording(db, recordingId, q);
    assert.deepEqual(sel.cells, activeCells(tracks, s - START, s + 4 - START, { offBefore: true }));
    if (sel.cells.length === 0) {
      assert.match(sel.note ?? '', /lower the threshold/);
      continue;
    }
    tried++;
    const got = await matchInRecording(db, recordingId, { ...q, limit: 20 });
    const want = naiveMatch(values, END - START, rec.hidden, 0.2, sel.cells, { selectionLength: 4, offBefore: true, offAfter: false, limit: 20 });
    assert.deepEqual(got.matches.map((m) => [m.start - START, m.end - START, m.intersection, m.union]), want.matches.map((m) => [m.start, m.end, m.intersection, m.union]));
    const first = got.matches[0];
    if (first) assert.equal(first.text.length, Math.min(first.end - first.start, MATCH_TEXT_MAX + 1));
    // Strips: the selected cells' stored values at the match's first steps, and top-1 predictions.
    const withStrips = await matchInRecording(db, recordingId, { ...q, limit: 3, strips: true });
    for (const m of withStrips.matches) {
      const strip = m.strip;
      if (!strip) throw new Error('no strip');
      const len = Math.min(m.end - m.start, 40);
      assert.equal(strip.chars.join(''), m.text.slice(0, len));
      strip.values.forEach((row, k) => row.forEach((v, t) => {
        const want = values[(m.start - START + t) * rec.hidden + (sel.cells[k] as number)] as number;
        assert.ok(Math.abs(v - want) <= 5e-4, `strip value ${v} vs ${want}`);
      }));
      assert.equal(strip.top1.length, len);
      assert.equal(strip.correct.length, len);
      for (let t = 0; t + 1 < len; t++) assert.equal(strip.correct[t], strip.top1[t] === strip.chars[t + 1], `correct at ${t}`);
      assert.equal(strip.tags.length, len);
      strip.chars.forEach((ch, t) => {
        if (ch === ' ') assert.equal(strip.tags[t], '', 'spaces between words carry no tag');
        if (/[a-z]/i.test(ch)) assert.notEqual(strip.tags[t], '', `letter ${ch} is tagged`);
      });
    }
    const counted = Object.values(withStrips.tags ?? {}).reduce((a, b) => a + b, 0);
    assert.equal(counted, withStrips.matches.reduce((n, m) => n + m.end - m.start, 0), 'tags counted over every matched character');
    assert.ok(got.tookMs >= 0);
  }
  assert.ok(tried > 0, 'some selection had cells');
});

test('an uploaded label track annotates match strips and the tag histogram; a refused upload stores nothing', async () => {
  const rec = await getRecording(db, recordingId);
  const corpus = await db.prisma.corpus.findUniqueOrThrow({ where: { id: rec.corpusId } });
  // Label every quotation mark "q" and every other character of [0, 2500) by position parity.
  const N = 2500;
  const spans = [...corpus.text].slice(0, N).map((ch, p) => ({ start: p, end: p + 1, label: ch === '"' ? 'q' : p % 2 ? 'odd' : 'even' }));
  await assert.rejects(addLabelTrack(db, rec.corpusId, { name: 'bad', spans: [...spans, { start: N - 1, end: N + 1, label: 'x' }] }), /overlaps/);
  assert.deepEqual(await listLabelTracks(db, rec.corpusId), []);
  const added = await addLabelTrack(db, rec.corpusId, { name: 'parity', spans });
  assert.equal(added.labels, 3);
  const got = await matchInRecording(db, recordingId, { layer: 0, quantity: 'h', start: START + 3, end: START + 7, threshold: 0.1, offBefore: false, cells: [0, 1], limit: 5, strips: true, track: added.id });
  for (const m of got.matches) {
    (m.strip?.tags ?? []).forEach((tag, t) => {
      const p = m.start + t;
      assert.equal(tag, p >= N ? '' : corpus.text[p] === '"' ? 'q' : p % 2 ? 'odd' : 'even');
    });
  }
  assert.ok(Object.keys(got.tags ?? {}).every((k) => ['q', 'odd', 'even', 'none'].includes(k)));
  await assert.rejects(matchInRecording(db, recordingId, { layer: 0, quantity: 'h', start: START + 3, end: START + 7, threshold: 0.1, cells: [0], strips: true, track: 999 }), /label track 999 not found/);
});

test('soft mode: windows ranked by cosine of the selected cells\' stored values, each over its own range, checked by brute force', async () => {
  const rec = await getRecording(db, recordingId);
  const values = await storedValues(0, 'c');
  const T = END - START;
  const cells = [1, 4, 7];
  // Each cell counts over its own range (max |c| over the recording): soft-match.ts scaledByRange.
  const range = new Map(cells.map((c) => [c, Math.max(...Array.from({ length: T }, (_, t) => Math.abs(values[t * rec.hidden + c] as number)))]));
  const q8 = (v: number, c: number): number => v / (range.get(c) as number);
  const s = 300;
  const L = 5;
  const got = await matchInRecording(db, recordingId, { layer: 0, quantity: 'c', start: START + s, end: START + s + L, threshold: 0.3, cells, limit: 8, mode: 'soft' });
  const cos = (a: number): number => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const c of cells) for (let j = 0; j < L; j++) {
      const x = q8(values[(a + j) * rec.hidden + c] as number, c);
      const y = q8(values[(s + j) * rec.hidden + c] as number, c);
      dot += x * y;
      na += x * x;
      nb += y * y;
    }
    return dot / Math.sqrt(na * nb);
  };
  for (const m of got.matches) assert.ok(Math.abs((m.score ?? NaN) - cos(m.start - START)) < 1e-4, `cosine at ${m.start}`);
  // (The corpus repeats itself, so several windows tie with the selection at cosine 1.)
  assert.ok(Math.abs((got.matches[0]?.score ?? NaN) - 1) < 1e-4, 'the best window is as close as the selection itself');
  for (let i = 1; i < got.matches.length; i++) assert.ok((got.matches[i - 1]?.score ?? 0) >= (got.matches[i]?.score ?? 0) - 1e-6, 'best first');
  got.matches.forEach((a, i) => got.matches.slice(i + 1).forEach((b) => assert.ok(a.end <= b.start || b.end <= a.start, 'no overlap')));
  const worst = got.matches[got.matches.length - 1]?.score ?? 1;
  for (let a = 0; a + L <= T; a++) {
    if (cos(a) > worst + 1e-4) assert.ok(got.matches.some((m) => START + a < m.end && m.start < START + a + L), `window ${a} outranks the page and overlaps none of it`);
  }
});

test('cell finder: every cell of every layer ranked by AUC with the quote feature, checked against the stored columns', async () => {
  const rec = await getRecording(db, recordingId);
  const ranking = await rankCells(db, recordingId, { feature: 'quote', limit: 200 });
  assert.equal(ranking.measure, 'auc');
  assert.equal(ranking.cells.length, 2 * 2 * rec.hidden, 'h and c of both layers');
  const strength = ranking.cells.map((c) => Math.abs(c.score - 0.5));
  strength.forEach((v, i) => assert.ok(i === 0 || v <= (strength[i - 1] ?? 1) + 1e-12, 'strongest first'));
  const top = ranking.cells[0];
  if (!top) throw new Error('no cells');
  // Independently: the stored (float16) states of that cell against the quote track of the recorded text.
  const corpus = await db.prisma.corpus.findUniqueOrThrow({ where: { id: rec.corpusId } });
  const inside = quoteTrack([...corpus.text].slice(START, END).join(''));
  const column = (await readStateWindow(db.raw, rec, top.layer, top.quantity, START, END, [top.index])).values;
  let u = 0;
  let pairs = 0;
  const pos = Array.from(column).filter((_, t) => inside[t]);
  const neg = Array.from(column).filter((_, t) => !inside[t]);
  for (const a of pos) for (const b of neg) {
    pairs++;
    u += a > b ? 1 : a === b ? 0.5 : 0;
  }
  assert.ok(Math.abs(top.score - u / pairs) < 1e-9);
  // A column holds the stored values themselves, c past ±1 included.
  const cValues = await storedValues(1, 'c');
  const cCol = (await loadColumns(db, rec, 1, 'c', [2])).values;
  for (let t = 0; t < END - START; t++) assert.equal(cCol[t], cValues[t * rec.hidden + 2], `c at ${t}`);
  const line = await rankCells(db, recordingId, { feature: 'line', limit: 3 });
  assert.equal(line.measure, 'correlation');
  assert.ok(Math.abs(line.cells[0]?.score ?? 0) >= Math.abs(line.cells[2]?.score ?? 0));
  const flat = await rankCells(db, recordingId, { feature: 'latex-env' });
  assert.deepEqual(flat.cells, []);
  assert.match(flat.note ?? '', /latex-env feature is 0 at every recorded character/);
  await assert.rejects(rankCells(db, recordingId, { feature: 'sentiment' }), /feature must be one of quote, bracket/);
  await assert.rejects(rankCells(db, recordingId, { feature: 'regex', regex: '(' }), /invalid regular expression/);
  await assert.rejects(rankCells(db, recordingId, { feature: 'regex' }), /needs a pattern/);
});

test('bad select & match queries get clear errors naming what is wrong', async () => {
  const q = { layer: 0, quantity: 'h', start: START + 10, end: START + 14, threshold: 0.3 };
  await assert.rejects(selectInRecording(db, recordingId, { ...q, layer: 2 }), /layer 2 does not exist: the recording has layers 0-1/);
  await assert.rejects(selectInRecording(db, recordingId, { ...q, quantity: 'i' }), /quantity must be h or c/);
  await assert.rejects(selectInRecording(db, recordingId, { ...q, start: START - 5 }), /must lie inside the recorded characters \[100, 2100\)/);
  await assert.rejects(selectInRecording(db, recordingId, { ...q, end: END + 1 }), /must lie inside/);
  await assert.rejects(selectInRecording(db, recordingId, { ...q, threshold: 0.35 }), /threshold must be one of 0.1, 0.2/);
  await assert.rejects(matchInRecording(db, recordingId, { ...q, cells: [0, 99] }), /cell 99 does not exist/);
  await assert.rejects(matchInRecording(db, recordingId, { ...q, cells: [1, 1] }), /each cell at most once/);
  await assert.rejects(selectInRecording(db, 999, q), /recording 999 not found/);
  const none = await matchInRecording(db, recordingId, { ...q, threshold: 0.9, start: START + 10, end: START + 400 });
  assert.deepEqual(none.matches, []);
  assert.match(none.note ?? '', /no cell of layer 0 h is on at every step .* lower the threshold/);
});
