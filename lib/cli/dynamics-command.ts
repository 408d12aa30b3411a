import type { Db } from '../db/client.ts';
import { runSpectrum } from '../dynamics/spectrum-report.ts';
import { runGradientFlow } from '../dynamics/flow-report.ts';
import { runJacobian } from '../dynamics/jacobian-report.ts';
import { runFixedPoints } from '../dynamics/fixed-point-report.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const DYNAMICS_USAGE = `  cellscope dynamics --run ID [--checkpoint C] --what spectrum|flow|jacobian|fixed-points [--layer N]
                  [--positions P] [--distance D] [--start S] [--length L] [--input CHAR] [--starts K] [--json]
                  spectrum: the eigenvalues of each layer's recurrent matrix (LSTM: U_g, GRU: U_n, RNNs: W_h)
                  with their Gershgorin discs (centre a_ii, radius Σ_{j≠i}|a_ij|) and spectral radius;
                  flow: ‖∂h_t/∂h_{t−d}‖ (and ‖∂c_t/∂c_{t−d}‖) against d = 1..D (default 64) over P (16; fewer for large states)
                  corpus positions: geometric mean and 10th/90th percentiles;
                  jacobian: the spectral radius of the state Jacobian ∂s_t/∂s_{t−1} at each of L (100; fewer for large states)
                  corpus positions from S (64), and its spectrum where the radius is largest and smallest;
                  fixed-points: the first layer's fixed and slow points under a constant input CHAR (space),
                  searched from K (32) states of the text, each with its eigenvalues and whether it is stable
`;

const WHAT = ['spectrum', 'flow', 'jacobian', 'fixed-points'] as const;

/** `cellscope dynamics`: the lecture's dynamics of a checkpoint. */
export async function dynamicsCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { run: { type: 'string' }, checkpoint: { type: 'string' }, what: { type: 'string' }, layer: { type: 'string' }, positions: { type: 'string' }, distance: { type: 'string' }, start: { type: 'string' }, length: { type: 'string' }, input: { type: 'string' }, starts: { type: 'string' }, json: { type: 'boolean' } });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  if (typeof values.what !== 'string' || !(WHAT as readonly string[]).includes(values.what)) throw new UsageError(`--what must be one of ${WHAT.join(', ')}`);
  const checkpointId = intFlag(values, 'checkpoint', { min: 1 });
  const layer = intFlag(values, 'layer', { min: 0 });
  if (values.what === 'flow') {
    const f = await runGradientFlow(db, runId, { checkpointId, layer, positions: intFlag(values, 'positions', { min: 1 }), distance: intFlag(values, 'distance', { min: 1 }) });
    if (values.json === true) return void process.stdout.write(`${JSON.stringify(f)}\n`);
    const lines = [`run ${f.runId} checkpoint ${f.checkpointId} (step ${f.step}), ${f.positions} positions, in ${(f.tookMs / 1000).toFixed(1)} s: geometric mean of ‖∂q_t/∂q_{t−d}‖_F`];
    const shown = [1, 2, 5, 10, 20, 50, 100, 200].filter((d) => d <= f.distance);
    lines.push(`  ${'layer q'.padEnd(10)}${shown.map((d) => `d=${d}`.padStart(11)).join('')}`);
    for (const l of f.layers) for (const c of l.curves) lines.push(`  ${`${l.layer} ${c.quantity}`.padEnd(10)}${shown.map((d) => (c.mean[d - 1] ?? 0).toExponential(2).padStart(11)).join('')}`);
    return void process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (values.what === 'jacobian') {
    const j = await runJacobian(db, runId, { checkpointId, layer, start: intFlag(values, 'start', { min: 0 }), length: intFlag(values, 'length', { min: 1 }) });
    if (values.json === true) return void process.stdout.write(`${JSON.stringify(j)}\n`);
    const lines = [`run ${j.runId} checkpoint ${j.checkpointId} (step ${j.step}), layer ${j.layer} (${j.arch.toUpperCase()}), state of ${j.stateSize}: spectral radius of ∂s_t/∂s_{t−1} along positions ${j.start}..${j.start + j.chars.length}`];
    for (let k = 0; k < j.chars.length; k += 20) lines.push(`  ${String(j.start + k).padStart(8)}  ${j.chars.slice(k, k + 20).map((ch) => JSON.stringify(ch).slice(1, -1).padStart(5)).join('')}`, `  ${''.padStart(8)}  ${j.radius.slice(k, k + 20).map((r) => r.toFixed(2).padStart(5)).join('')}`);
    return void process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (values.what === 'fixed-points') {
    const f = await runFixedPoints(db, runId, { checkpointId, input: typeof values.input === 'string' ? values.input : undefined, starts: intFlag(values, 'starts', { min: 1 }) });
    if (values.json === true) return void process.stdout.write(`${JSON.stringify(f)}\n`);
    const lines = [`run ${f.runId} checkpoint ${f.checkpointId} (step ${f.step}), layer 0 under the input ${JSON.stringify(f.input)}: ${f.points.length} fixed or slow points from ${f.starts} starts, in ${(f.tookMs / 1000).toFixed(1)} s`];
    for (const p of f.points) lines.push(`  ${p.fixed ? 'fixed' : 'slow '}  q ${p.q.toExponential(2)}  spectral radius ${p.spectralRadius.toFixed(3)}  ${p.stable ? 'stable' : 'unstable'}  PC (${p.pc[0].toFixed(2)}, ${p.pc[1].toFixed(2)})`);
    return void process.stdout.write(`${lines.join('\n')}\n`);
  }
  for (const name of ['positions', 'distance', 'start', 'length', 'input', 'starts'] as const) if (values[name] !== undefined) throw new UsageError(`--${name} goes with --what flow, jacobian or fixed-points`);
  const r = await runSpectrum(db, runId, { checkpointId, layer });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const lines = [`run ${r.runId} checkpoint ${r.checkpointId} (step ${r.step}):`];
  for (const l of r.layers) {
    const outside = l.eigenvalues.filter(([re, im]) => Math.hypot(re, im) > 1).length;
    const disc = l.discs.reduce((m, [c, , rad]) => Math.max(m, Math.abs(c) + rad), 0);
    lines.push(`  layer ${l.layer} (${l.arch.toUpperCase()}, ${l.description}): spectral radius ${l.spectralRadius.toFixed(4)}, ${outside} of ${l.eigenvalues.length} eigenvalues outside the unit circle; the Gershgorin discs reach |z| = ${disc.toFixed(3)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
