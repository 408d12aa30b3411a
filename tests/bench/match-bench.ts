// npm run bench, part 4: LSTMVis select & match latency on a 1,000,000-timestep x 512-cell
// recording of a real (briefly trained) 1x512 LSTM's hidden state h, against a naive full scan of
// the thresholded matrix in the same run; both must return the same matches.
import { parseTrainConfig } from '../../lib/train/config.ts';
import { trainCharModel } from '../../lib/train/trainer.ts';
import { loadModel } from '../../lib/train/model-io.ts';
import { modelShapeOf } from '../../lib/train/config.ts';
import { disposeModel } from '../../models/char-model.ts';
import { createSequenceRunner } from '../../models/sequence-runner.ts';
import { appendRows, emptyBitTracks } from '../../lib/search/bit-tracks.ts';
import { activeCells } from '../../lib/search/select.ts';
import { matchTracks } from '../../lib/search/match.ts';
import { naiveMatch } from '../../lib/search/naive-match.ts';

export async function benchMatch(ids: Int32Array, vocabSize: number, trainEnd: number, quick: boolean, pct: (xs: number[], p: number) => number): Promise<void> {
  const T = quick ? 200_000 : 1_000_000;
  const H = 512;
  const threshold = 0.3;
  const config = parseTrainConfig({ hidden: H, batch: 32, seq: 64, steps: quick ? 20 : 150, evalEvery: 1_000_000, checkpointEvery: 1_000_000, evalChars: 64 });
  let weights: Uint8Array | undefined;
  const t0 = performance.now();
  await trainCharModel({ config, vocabSize, trainIds: ids.subarray(0, trainEnd), valIds: ids.subarray(trainEnd, trainEnd + 200), onCheckpoint: (c) => void (weights = c.weights) });
  const model = loadModel(modelShapeOf(config, vocabSize), weights as Uint8Array);
  // h of 1,000,000 characters (the corpus repeated), one stream, straight into tracks and the
  // thresholded bytes the naive scan reads.
  const tracks = emptyBitTracks(T, H, threshold);
  const onBytes = new Uint8Array(T * H);
  const runner = createSequenceRunner(model, 1);
  const block = 4096;
  for (let t0b = 0; t0b < T; t0b += block) {
    const K = Math.min(block, T - t0b);
    const input = Int32Array.from({ length: K }, (_, j) => ids[(t0b + j) % ids.length] ?? 0);
    const { top } = runner.run(input, K, false);
    appendRows(tracks, top, t0b, K);
    for (let i = 0; i < K * H; i++) onBytes[t0b * H + i] = (top[i] as number) >= threshold ? 1 : 0;
  }
  runner.dispose();
  disposeModel(model);
  console.log(`match  states: 1x${H} LSTM trained ${config.steps} steps, h over ${T} timesteps, tracks at threshold ${threshold} built in ${((performance.now() - t0) / 1000).toFixed(1)} s (${((tracks.words.byteLength + tracks.rows.byteLength) / 1048576).toFixed(0)} MiB)`);

  let seed = 99;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const fast: number[] = [];
  const naive: number[] = [];
  let cellsTotal = 0;
  let queries = 0;
  let checked = 0;
  const wanted = quick ? 20 : 100;
  const naiveEvery = quick ? 4 : 10;
  while (queries < wanted) {
    const len = 2 + Math.floor(rand() * 19);
    const s = 1 + Math.floor(rand() * (T - len - 2));
    let cells = activeCells(tracks, s, s + len, { offBefore: true });
    if (cells.length === 0) continue;
    cells = cells.slice(0, 40);
    cellsTotal += cells.length;
    const o = { selectionLength: len, offBefore: true, limit: 50 };
    const q0 = performance.now();
    const got = matchTracks(tracks, cells, o);
    fast.push(performance.now() - q0);
    if (queries % naiveEvery === 0) {
      const n0 = performance.now();
      const ref = naiveMatch(onBytes, T, H, 0.5, cells, o);
      naive.push(performance.now() - n0);
      if (JSON.stringify(ref.matches) !== JSON.stringify(got.matches)) throw new Error(`match differs from the naive scan for cells ${cells.join(',')} at [${s}, ${s + len})`);
      checked++;
    }
    queries++;
  }
  console.log(
    `match  ${queries} queries (1-40 cells, mean ${(cellsTotal / queries).toFixed(1)}; ranges 2-20; whole ${T} steps searched): ` +
      `median ${pct(fast, 50).toFixed(1)} ms, p90 ${pct(fast, 90).toFixed(1)} ms, max ${Math.max(...fast).toFixed(1)} ms (target: median < 15 ms, p90 < 80 ms); ` +
      `naive full scan median ${pct(naive, 50).toFixed(0)} ms over ${checked} of them, same results`,
  );
}

