import type { Db } from '../db/client.ts';
import { rankCells } from '../search/cell-finder.ts';
import { completedRecordingOfRun } from './run-recording.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const CELLS_USAGE = `  cellscope cells --run ID [--recording R] --feature quote|bracket|bracket-depth|line|indent|comment|if|latex-env|regex
                  [--regex R] [--limit K] [--json]
                  the cell finder: every cell ranked by how well it tracks the feature (AUC or correlation)
`;

/** `cellscope cells`: rank a run's recorded cells by a structural feature of the text. */
export async function cellsCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    run: { type: 'string' }, recording: { type: 'string' }, feature: { type: 'string' }, regex: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' },
  });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  if (typeof values.feature !== 'string') throw new UsageError('--feature is required');
  const rec = await completedRecordingOfRun(db, runId, intFlag(values, 'recording', { min: 1 }));
  const ranking = await rankCells(db, rec.id, {
    feature: values.feature,
    ...(typeof values.regex === 'string' ? { regex: values.regex } : {}),
    limit: intFlag(values, 'limit', { min: 1, max: 10_000 }) ?? 10,
  });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ recordingId: rec.id, ...ranking })}\n`);
    return;
  }
  const lines = [`recording ${rec.id}, feature ${ranking.feature} (${ranking.measure}; ${ranking.measure === 'auc' ? `${(100 * ranking.coverage).toFixed(1)}% of characters inside` : `mean ${ranking.coverage.toFixed(2)}`}):`];
  if (ranking.note) lines.push(`  ${ranking.note}`);
  for (const c of ranking.cells) {
    const extra = c.threshold !== undefined ? `  ${c.side} ${c.threshold.toFixed(2)}: precision ${(c.precision ?? 0).toFixed(2)} recall ${(c.recall ?? 0).toFixed(2)}` : '';
    lines.push(`  layer ${c.layer} ${c.quantity} cell ${String(c.index).padEnd(4)} ${ranking.measure} ${c.score.toFixed(3)}${extra}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
