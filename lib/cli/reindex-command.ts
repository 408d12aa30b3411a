import type { Db } from '../db/client.ts';
import { corpusIdsForRun } from '../db/run-vocab.ts';
import { getRecording, listRecordings, type RecordingSummary } from '../db/recordings.ts';
import { getRun } from '../db/runs.ts';
import { ConflictError } from '../errors.ts';
import { indexRecording } from '../jobs/index-recording.ts';
import { forgetRankings } from '../search/cell-finder.ts';
import { hasLegacyColumns } from '../search/columns.ts';
import { forgetTracks } from '../search/track-store.ts';
import { intFlag, parseFlags, UsageError } from './args.ts';

export const REINDEX_USAGE = `  cellscope reindex --recording R | --outdated [--json]
                  rebuild a finished recording's match index and neuron statistics from its stored states
                  (for recordings made before a statistic existed, or after a feature definition changed);
                  --outdated: every completed recording whose columns are in an older layout (before
                  exact cell-finder scores)
`;

/** `cellscope reindex`: the end-of-recording pass again, over the states already stored. */
export async function reindexCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { recording: { type: 'string' }, outdated: { type: 'boolean' }, json: { type: 'boolean' } });
  const json = values.json === true;
  if (values.outdated === true) {
    if (values.recording !== undefined) throw new UsageError('give --recording R or --outdated, not both');
    const outdated: RecordingSummary[] = [];
    for (const rec of await listRecordings(db)) if (rec.status === 'completed' && (await hasLegacyColumns(db, rec))) outdated.push(rec);
    const done = [];
    for (const rec of outdated) done.push(await reindexOne(db, rec, json));
    if (json) process.stdout.write(`${JSON.stringify({ recordings: done })}\n`);
    else if (done.length === 0) process.stdout.write('no recording needs indexing again\n');
    return;
  }
  const id = intFlag(values, 'recording', { min: 1, required: true }) as number;
  const rec = await getRecording(db, id);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${id} is ${rec.status}: only a completed recording can be indexed again`);
  const done = await reindexOne(db, rec, json);
  if (json) process.stdout.write(`${JSON.stringify(done)}\n`);
}

async function reindexOne(db: Db, rec: RecordingSummary, json: boolean): Promise<{ recordingId: number; seconds: number }> {
  const run = await getRun(db, rec.runId);
  const { ids, vocab } = await corpusIdsForRun(db, run, rec.corpusId);
  const started = Date.now();
  forgetTracks(rec.id);
  forgetRankings(rec.id);
  await indexRecording(db, rec, { ids, vocab, unit: rec.unit }, (f) => {
    if (!json) process.stderr.write(`\rindexing recording ${rec.id}: ${Math.round(100 * f)}%`);
  });
  const seconds = (Date.now() - started) / 1000;
  if (!json) process.stdout.write(`\nrecording ${rec.id} indexed again in ${seconds.toFixed(1)} s\n`);
  return { recordingId: rec.id, seconds };
}
