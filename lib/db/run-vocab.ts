import type { Db } from './client.ts';
import { corpusIdsIn, loadCorpusTokens } from './corpora.ts';
import type { RunSummary } from './runs.ts';
import { vocabFromChars, type Vocab } from '../corpus/vocab.ts';
import { BadRequestError } from '../errors.ts';

/**
 * A run's vocabulary: its own for an imported model (the uploaded character -> index map), else
 * its corpus's (the corpus's characters sorted by code point).
 */
export async function runVocab(db: Db, run: Pick<RunSummary, 'corpusId' | 'vocab'>): Promise<Vocab> {
  return run.vocab ? vocabFromChars(run.vocab) : (await loadCorpusTokens(db, run.corpusId)).vocab;
}

/**
 * A corpus's text as token ids of the run's vocabulary: the stored ids when the run uses that
 * corpus's own vocabulary, else encoded (a character the model does not know is a 400).
 */
export async function corpusIdsForRun(db: Db, run: Pick<RunSummary, 'id' | 'corpusId' | 'vocab'>, corpusId: number): Promise<{ ids: Int32Array; vocab: Vocab }> {
  const vocab = await runVocab(db, run);
  if (corpusId === run.corpusId && !run.vocab) return { ids: (await loadCorpusTokens(db, corpusId)).ids, vocab };
  try {
    return { ids: await corpusIdsIn(db, corpusId, vocab), vocab };
  } catch (err) {
    throw new BadRequestError(`corpus ${corpusId} cannot be read by run ${run.id}: ${(err as Error).message}`, 'corpusId');
  }
}
