import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBackend, tf } from '../../../lib/tf/backend.ts';
import { createCharModel, disposeModel, oneHotRows, outputLogits, stackStep, zeroStates } from '../../../models/char-model.ts';
import { planStreams, recordStates, type ChunkRow } from '../../../lib/record/recorder.ts';
import { decodeF16, u16View } from '../../../lib/record/f16.ts';
import { PREDICTION_LAYER, TOP_K } from '../../../lib/record/quantities.ts';
import { quantitiesFor } from '../../../models/architectures.ts';

const STATE_QUANTITIES = quantitiesFor('lstm');

const baseShape = { arch: 'lstm' as const, layers: 2, hidden: 6, vocabSize: 9 };
// Hidden 8 runs on the fused kernels; hidden 6 (not a multiple of 4) on the tfjs cells.
const ENGINES = [
  { hidden: 8, label: 'fused kernels' },
  { hidden: 6, label: 'tfjs cells' },
] as const;
// Float16 rounding of values that the two engines compute within ~1e-6 of each other.
const F16_TOLERANCE = (v: number): number => Math.abs(v) * 2 ** -11 + 2e-6;
const ids = Int32Array.from({ length: 157 }, (_, k) => (k * k + 3 * k) % 9);

/** Sequential float32 reference from zero state over ids[from, to): per position, per layer, q -> values. */
function reference(model: ReturnType<typeof createCharModel>, from: number, to: number) {
  const shape = model.shape;
  const rows: { q: Record<string, number[]>[]; probs: number[] }[] = [];
  tf.tidy(() => {
    let s = zeroStates(model, 1);
    for (let p = from; p < to; p++) {
      const out = stackStep(model, oneHotRows(Int32Array.from([ids[p] ?? 0]), shape.vocabSize), s);
      s = out.states;
      const q = out.quantities.map((byName) =>
        Object.fromEntries(Object.entries(byName).map(([name, t]) => [name, Array.from(t.dataSync())])),
      );
      rows.push({ q, probs: Array.from(tf.softmax(outputLogits(model, out.top)).dataSync()) });
    }
  });
  return rows;
}

function hOf(rows: ReturnType<typeof reference>, t: number, layer: number): number[] {
  const h = rows[t]?.q[layer]?.h;
  if (!h) throw new Error(`no reference h at ${t}`);
  return h;
}

function assemble(rows: ChunkRow[], layer: number, quantity: string, width: number, start: number, end: number): Float32Array {
  const out = new Float32Array((end - start) * width).fill(NaN);
  for (const r of rows.filter((x) => x.layer === layer && x.quantity === quantity)) {
    const dec = new Float32Array(r.length * width);
    decodeF16(u16View(r.data), dec);
    out.set(dec, (r.start - start) * width);
  }
  return out;
}

test('stream plan: segments are whole chunks and cover the range', () => {
  assert.deepEqual(planStreams(1000, 4, 64), { segment: 256, count: 4 });
  assert.deepEqual(planStreams(100, 64, 16), { segment: 16, count: 7 });
});

for (const [streams, { hidden, label }] of [[1, ENGINES[0]], [5, ENGINES[0]], [5, ENGINES[1]]] as const) {
  test(`recorded states equal the float32 model within float16 precision (${streams} streams, no burn-in, ${label})`, async () => {
    await ensureBackend();
    const shape = { ...baseShape, hidden };
    const model = createCharModel(shape, 3);
    const start = 10;
    const end = 150;
    const chunkSize = 8;
    const rows: ChunkRow[] = [];
    const result = await recordStates({ model, ids, start, end, streams, chunkSize, burnIn: 0, onChunks: async (r) => void rows.push(...r) });
    assert.equal(result.timesteps, end - start);
    const { segment, count } = planStreams(end - start, streams, chunkSize);
    // Every stream restarts from zero at its segment: compare each segment with its own pass.
    for (let b = 0; b < count; b++) {
      const s0 = start + b * segment;
      const s1 = Math.min(end, s0 + segment);
      const ref = reference(model, s0, s1);
      for (let l = 0; l < shape.layers; l++) {
        for (const q of STATE_QUANTITIES) {
          const got = assemble(rows, l, q, shape.hidden, start, end);
          ref.forEach((r, t) => {
            const want = r.q[l]?.[q] ?? [];
            want.forEach((v, k) => {
              const g = got[(s0 - start + t) * shape.hidden + k] ?? NaN;
              assert.ok(Math.abs(g - v) <= F16_TOLERANCE(v), `layer ${l} ${q} pos ${s0 + t} cell ${k}: ${g} vs ${v}`);
            });
          });
        }
      }
      // Predictions: top-5 ids sorted by probability, and the true next character's probability.
      const topIdx = rows.filter((r) => r.layer === PREDICTION_LAYER && r.quantity === 'top.index');
      const next = assemble(rows, PREDICTION_LAYER, 'next.prob', 1, start, end);
      ref.forEach((r, t) => {
        const pos = s0 + t;
        const row = topIdx.find((x) => x.start <= pos && pos < x.start + x.length);
        if (!row) throw new Error(`no top.index chunk covers ${pos}`);
        const idx = Array.from(u16View(row.data).subarray((pos - row.start) * TOP_K, (pos - row.start + 1) * TOP_K));
        const order = r.probs.map((p, k) => [p, k] as const).sort((a, b) => b[0] - a[0]).slice(0, TOP_K).map((x) => x[1]);
        assert.deepEqual(idx, order, `top-5 at ${pos}`);
        const truth = r.probs[ids[pos + 1] ?? 0] ?? NaN;
        assert.ok(Math.abs((next[pos - start] ?? NaN) - truth) <= F16_TOLERANCE(truth));
      });
    }
    disposeModel(model);
  });
}

for (const { hidden, label } of ENGINES) test(`with burn-in, stream 0 still starts from zero at the corpus start and others read ahead (${label})`, async () => {
  await ensureBackend();
  const shape = { ...baseShape, hidden };
  const model = createCharModel(shape, 5);
  const rows: ChunkRow[] = [];
  await recordStates({ model, ids, start: 0, end: 64, streams: 4, chunkSize: 16, burnIn: 20, onChunks: async (r) => void rows.push(...r) });
  const got = assemble(rows, 1, 'h', shape.hidden, 0, 64);
  const full = reference(model, 0, 64); // one sequential pass from zero at 0
  // Stream 0 = [0, 16) and stream 1 = [16, 32) (burn-in capped at the 16 chars before it) both
  // see the text from 0; stream 2 = [32, 48) reads from 12 = 32 - 20.
  for (const pos of [0, 5, 15, 16, 31]) {
    hOf(full, pos, 1).forEach((v, k) => assert.ok(Math.abs((got[pos * shape.hidden + k] ?? NaN) - v) <= F16_TOLERANCE(v), `pos ${pos}`));
  }
  const from12 = reference(model, 12, 64);
  for (const pos of [32, 40, 47]) {
    hOf(from12, pos - 12, 1).forEach((v, k) => assert.ok(Math.abs((got[pos * shape.hidden + k] ?? NaN) - v) <= F16_TOLERANCE(v), `pos ${pos}`));
  }
  disposeModel(model);
});

for (const { hidden, label } of ENGINES) test(`a states-only recording stores c and h, byte for byte as in a full one, and no gates (${label})`, async () => {
  await ensureBackend();
  const model = createCharModel({ ...baseShape, hidden }, 7);
  const collect = async (quantities?: string[]): Promise<ChunkRow[]> => {
    const rows: ChunkRow[] = [];
    await recordStates({ model, ids, start: 3, end: 140, streams: 3, chunkSize: 16, burnIn: 10, ...(quantities ? { quantities } : {}), onChunks: async (r) => void rows.push(...r) });
    return rows;
  };
  const full = await collect();
  const states = await collect(['h', 'c']); // order given does not matter: the cell's order is kept
  const key = (r: ChunkRow): string => `${r.layer}/${r.quantity}/${r.chunk}`;
  const wanted = full.filter((r) => r.layer === PREDICTION_LAYER || r.quantity === 'c' || r.quantity === 'h');
  assert.deepEqual(states.map(key).sort(), wanted.map(key).sort(), 'the same c, h and prediction chunks, nothing else');
  const byKey = new Map(full.map((r) => [key(r), r]));
  for (const r of states) assert.deepEqual(r.data, byKey.get(key(r))?.data, key(r));
  assert.ok(full.some((r) => r.quantity === 'f'), 'the full recording does store the forget gate');
  await assert.rejects(collect(['h', 'x']), /cells record c, h, i, f, o, g, not x/);
  await assert.rejects(collect([]), /no quantity/);
  disposeModel(model);
});

for (const { hidden, label } of ENGINES) {
  test(`a corpus of sequences: the state is reset at every sequence start, in burn-in too, whatever the stream layout (${label})`, async () => {
    await ensureBackend();
    const model = createCharModel({ ...baseShape, hidden }, 11);
    // Sequences of uneven lengths, some shorter than a chunk, one starting right at a stream's segment start.
    const starts = Int32Array.from([0, 5, 9, 40, 41, 64, 100, 131]);
    const start = 3;
    const end = 150;
    const rows: ChunkRow[] = [];
    await recordStates({ model, ids, start, end, streams: 4, chunkSize: 8, burnIn: 20, sequenceStarts: starts, onChunks: async (r) => void rows.push(...r) });
    const got = assemble(rows, 1, 'c', hidden, start, end);
    let worst = 0;
    for (const [k, s] of starts.entries()) {
      const e = starts[k + 1] ?? ids.length;
      // Each sequence, run alone from a zero state: what the recording must hold over it.
      const want = reference(model, s, e);
      for (let p = Math.max(s, start); p < Math.min(e, end); p++) {
        (want[p - s]?.q[1]?.c ?? []).forEach((v, j) => {
          const diff = Math.abs((got[(p - start) * hidden + j] as number) - v);
          worst = Math.max(worst, diff - F16_TOLERANCE(v));
        });
      }
    }
    assert.ok(worst <= 0, `every position equals its sequence run alone from zero (worst excess ${worst})`);
    disposeModel(model);
  });
}
