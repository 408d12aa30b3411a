import type { Db } from './client.ts';
import { buildVocab, encode, vocabFromChars, type Vocab } from '../corpus/vocab.ts';
import { trainEndFor } from '../corpus/split.ts';
import { NotFoundError } from '../errors.ts';

export interface CorpusSummary {
  id: number;
  name: string;
  chars: number;
  vocabSize: number;
  trainEnd: number;
  createdAt: Date;
}

export interface CreateCorpusInput {
  name: string;
  /** Already validated text (lib/corpus/validate-upload.ts). */
  text: string;
  validationFraction?: number;
}

export async function createCorpus(db: Db, input: CreateCorpusInput): Promise<CorpusSummary> {
  const vocab = buildVocab(input.text);
  const ids = encode(input.text, vocab);
  const trainEnd = trainEndFor(ids.length, input.validationFraction);
  const row = await db.prisma.corpus.create({
    data: { name: input.name, text: input.text, chars: ids.length, vocab: JSON.stringify(vocab.chars), trainEnd },
  });
  tokenCache.set(row.id, { vocab, ids, trainEnd });
  return { id: row.id, name: row.name, chars: row.chars, vocabSize: vocab.chars.length, trainEnd, createdAt: row.createdAt };
}

const summarySelect = { id: true, name: true, chars: true, vocab: true, trainEnd: true, createdAt: true } as const;

function toSummary(row: { id: number; name: string; chars: number; vocab: string; trainEnd: number; createdAt: Date }): CorpusSummary {
  return { id: row.id, name: row.name, chars: row.chars, vocabSize: (JSON.parse(row.vocab) as string[]).length, trainEnd: row.trainEnd, createdAt: row.createdAt };
}

export async function listCorpora(db: Db): Promise<CorpusSummary[]> {
  const rows = await db.prisma.corpus.findMany({ select: summarySelect, orderBy: { id: 'desc' } });
  return rows.map(toSummary);
}

export async function getCorpusSummary(db: Db, id: number): Promise<CorpusSummary> {
  const row = await db.prisma.corpus.findUnique({ where: { id }, select: summarySelect });
  if (!row) throw new NotFoundError('corpus', id);
  return toSummary(row);
}

export interface CorpusTokens {
  vocab: Vocab;
  /** Token id per character of the whole corpus. */
  ids: Int32Array;
  trainEnd: number;
}

// Encoded corpora are reused by every window read and job; texts are immutable once stored.
const tokenCache = new Map<number, CorpusTokens>();

export async function loadCorpusTokens(db: Db, id: number): Promise<CorpusTokens> {
  const hit = tokenCache.get(id);
  if (hit) return hit;
  const row = await db.prisma.corpus.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('corpus', id);
  const vocab = vocabFromChars(JSON.parse(row.vocab) as string[]);
  const tokens = { vocab, ids: encode(row.text, vocab), trainEnd: row.trainEnd };
  if (tokenCache.size >= 4) tokenCache.delete(tokenCache.keys().next().value as number);
  tokenCache.set(id, tokens);
  return tokens;
}
