import type { Db } from '../db/client.ts';
import { causalRank } from '../causal/causal-rank.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const CAUSAL_RANK_USAGE = `  cellscope causal-rank --recording R --layer N [--quantity c|h] --target CHAR|feature:F|regex:RE
                  [--start S --end E] [--limit K] [--json]
                  every cell of the layer ranked by the mean change of ln p(target) at the target positions
                  when that cell alone is zeroed (negative: the model needs it), beside its AUC for them
`;

/** `cellscope causal-rank`: which cells the model needs for a target, by ablating each alone. */
export async function causalRankCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    recording: { type: 'string' }, layer: { type: 'string' }, quantity: { type: 'string' }, target: { type: 'string' },
    start: { type: 'string' }, end: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' },
  });
  const recordingId = intFlag(values, 'recording', { min: 1, required: true }) as number;
  if (typeof values.target !== 'string') throw new UsageError('--target is required');
  const json = values.json === true;
  const r = await causalRank(db, recordingId, {
    layer: intFlag(values, 'layer', { min: 0, required: true }) as number,
    quantity: typeof values.quantity === 'string' ? values.quantity : undefined,
    target: values.target,
    start: intFlag(values, 'start', { min: 0 }),
    end: intFlag(values, 'end', { min: 1 }),
  }, {
    onProgress: (f) => {
      if (!json) process.stderr.write(`\rablating ${Math.round(100 * f)}%`);
    },
  });
  if (json) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const limit = intFlag(values, 'limit', { min: 1 }) ?? 20;
  const lines = [
    `\nrecording ${r.recordingId}, layer ${r.layer} ${r.quantity}, target ${JSON.stringify(r.target)}: ${r.targets} positions in ${r.start}..${r.end}, mean ln p ${r.baselineLogp.toFixed(3)}; took ${(r.tookMs / 1000).toFixed(1)} s`,
    '  cell   Δ ln p(target) when zeroed   AUC',
    ...r.cells.slice(0, limit).map((c) => `  ${String(c.index).padEnd(6)} ${c.deltaLogp.toFixed(4).padStart(12)}                 ${c.auc === undefined ? '-' : c.auc.toFixed(3)}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
