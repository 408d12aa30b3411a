import type { Db } from '../db/client.ts';
import { corpusIdsForRun } from '../db/run-vocab.ts';
import { getRecording } from '../db/recordings.ts';
import { getRun } from '../db/runs.ts';
import { ConflictError } from '../errors.ts';
import { indexRecording } from '../jobs/index-recording.ts';
import { forgetTracks } from '../search/track-store.ts';
import { intFlag, parseFlags } from './args.ts';

export const REINDEX_USAGE = `  cellscope reindex --recording R [--json]
                  rebuild a finished recording's match index and neuron statistics from its stored states
                  (for recordings made before a statistic existed, or after a feature definition changed)
`;

/** `cellscope reindex`: the end-of-recording pass again, over the states already stored. */
export async function reindexCommand(db: Db, argv: string[]): Promise<void> {
  const { values } = parseFlags(argv, { recording: { type: 'string' }, json: { type: 'boolean' } });
  const id = intFlag(values, 'recording', { min: 1, required: true }) as number;
  const rec = await getRecording(db, id);
  if (rec.status !== 'completed') throw new ConflictError(`recording ${id} is ${rec.status}: only a completed recording can be indexed again`);
  const run = await getRun(db, rec.runId);
  const { ids, vocab } = await corpusIdsForRun(db, run, rec.corpusId);
  const started = Date.now();
  forgetTracks(id);
  await indexRecording(db, rec, { ids, vocab }, (f) => {
    if (values.json !== true) process.stderr.write(`\rindexing ${Math.round(100 * f)}%`);
  });
  const seconds = (Date.now() - started) / 1000;
  if (values.json === true) process.stdout.write(`${JSON.stringify({ recordingId: id, seconds })}\n`);
  else process.stdout.write(`\nrecording ${id} indexed again in ${seconds.toFixed(1)} s\n`);
}
