import type { Db } from '../db/client.ts';
import { matchInRecording } from '../search/search-service.ts';
import { completedRecordingOfRun } from './run-recording.ts';
import { intFlag, numberFlag, parseFlags, UsageError } from './args.ts';

export const MATCH_USAGE = `  cellscope match --run ID [--recording R] --layer N [--quantity h|c] --start S --end E --threshold T
                  [--limit K] [--after-off] [--no-before-off] [--soft] [--json]
                  LSTMVis select & match: the cells on across [S, E), then the best-matching ranges
                  (--soft: the windows nearest by cosine of those cells' values)
`;

/** `cellscope match`: select on a range, match over the whole recording, print cells, matches and the search time. */
export async function matchCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, {
    run: { type: 'string' }, recording: { type: 'string' }, layer: { type: 'string' }, quantity: { type: 'string' },
    start: { type: 'string' }, end: { type: 'string' }, threshold: { type: 'string' }, limit: { type: 'string' },
    'after-off': { type: 'boolean' }, 'no-before-off': { type: 'boolean' }, soft: { type: 'boolean' }, json: { type: 'boolean' },
  });
  const runId = intFlag(values, 'run', { min: 1, required: true }) as number;
  const threshold = numberFlag(values, 'threshold');
  if (threshold === undefined) throw new UsageError('--threshold is required (0.1 ... 0.9)');
  const rec = await completedRecordingOfRun(db, runId, intFlag(values, 'recording', { min: 1 }));
  const answer = await matchInRecording(db, rec.id, {
    layer: intFlag(values, 'layer', { min: 0, required: true }) as number,
    quantity: typeof values.quantity === 'string' ? values.quantity : 'h',
    start: intFlag(values, 'start', { min: 0, required: true }) as number,
    end: intFlag(values, 'end', { min: 1, required: true }) as number,
    threshold,
    offBefore: values['no-before-off'] !== true,
    offAfter: values['after-off'] === true,
    limit: intFlag(values, 'limit', { min: 1, max: 1000 }) ?? 50,
    mode: values.soft === true ? 'soft' : 'threshold',
  });
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ recordingId: rec.id, ...answer })}\n`);
    return;
  }
  const lines = [`recording ${rec.id}: ${answer.cells.length} selected cells${answer.cells.length ? ` (${answer.cells.join(', ')})` : ''}`];
  if (answer.note) lines.push(answer.note);
  for (const m of answer.matches) {
    const cos = m.score !== undefined ? ` cos ${m.score.toFixed(3)}` : '';
    lines.push(`${String(m.start).padStart(9)}-${String(m.end).padEnd(9)}${cos} ∩ ${m.intersection} ∪ ${m.union} J ${m.jaccard.toFixed(2)}  ${JSON.stringify(m.text)}`);
  }
  lines.push(`search took ${answer.tookMs.toFixed(1)} ms over ${answer.candidates} candidate ranges`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
