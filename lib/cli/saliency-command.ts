import type { Db } from '../db/client.ts';
import { saliencySourceOfRun } from '../saliency/saliency-source.ts';
import { MAX_SALIENCY_WINDOW, saliencyAt, saliencyDecay } from '../saliency/saliency.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const SALIENCY_USAGE = `  cellscope saliency --run ID --pos P [--window W] [--target C] [--checkpoint CK] [--json]
                  gradient of log p(next character, or C) with respect to each of the W inputs before it
  cellscope saliency --run ID --decay [--window W] [--samples N] [--checkpoint CK] [--json]
                  mean gradient norm by distance, over N positions spread over the corpus
`;

const show = (ch: string): string => JSON.stringify(ch).slice(1, -1);

/** `cellscope saliency`: input saliency of one prediction, or its decay with distance. */
export async function saliencyCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    run: { type: 'string' }, pos: { type: 'string' }, window: { type: 'string' }, target: { type: 'string' }, checkpoint: { type: 'string' },
    decay: { type: 'boolean' }, samples: { type: 'string' }, json: { type: 'boolean' },
  });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  const window = intFlag(values, 'window', { min: 1, max: MAX_SALIENCY_WINDOW });
  const checkpoint = intFlag(values, 'checkpoint', { min: 1 });
  const src = await saliencySourceOfRun(db, runId, checkpoint);
  if (values.decay === true) {
    if (values.pos !== undefined || values.target !== undefined) throw new UsageError('--decay averages over the corpus: it takes no --pos or --target');
    const samples = intFlag(values, 'samples', { min: 1, max: 4096 });
    const d = saliencyDecay(src, { ...(window !== undefined ? { window } : {}), ...(samples !== undefined ? { samples } : {}) });
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify({ runId, ...d })}\n`);
      return;
    }
    const lines = [`run ${runId}, checkpoint ${d.checkpointId} (step ${d.step}): mean saliency by distance over ${d.samples} positions`];
    const top = d.meanGrad[0] || 1;
    d.meanGrad.forEach((g, dist) => lines.push(`  ${String(dist).padStart(3)}  ${g.toExponential(2)}  ${'#'.repeat(Math.max(0, Math.round(40 + 8 * Math.log10(g / top))))}`));
    process.stdout.write(`${lines.join('\n')}\n`);
    return;
  }
  if (values.samples !== undefined) throw new UsageError('--samples goes with --decay');
  const pos = intFlag(values, 'pos', { required: true }) as number;
  const s = saliencyAt(src, { pos, ...(window !== undefined ? { window } : {}), ...(typeof values.target === 'string' ? { target: values.target } : {}) });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ runId, ...s })}\n`);
    return;
  }
  const max = Math.max(1e-12, ...s.inputs.map((i) => i.grad));
  const lines = [
    `run ${runId}, checkpoint ${s.checkpointId} (step ${s.step}): p("${show(s.target)}" after position ${pos}) = ${s.targetProb.toFixed(4)}${s.targetIsNext ? ' (the true next character)' : ''}`,
    '   pos  char   grad      grad×input',
  ];
  for (const i of s.inputs) {
    lines.push(`  ${String(i.pos).padStart(6)}  ${show(i.char).padEnd(4)} ${i.grad.toFixed(4).padStart(8)}  ${i.gradXInput.toFixed(4).padStart(8)}  ${'#'.repeat(Math.round((20 * i.grad) / max))}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
