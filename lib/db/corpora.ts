import type { Db } from './client.ts';
import { ownershipSelect, toOwnership, type Ownership, type VisibleWhere } from './ownership.ts';
import { buildVocab, encode, vocabFromChars, type Vocab } from '../corpus/vocab.ts';
import { trainEndFor } from '../corpus/split.ts';
import { decodeSequences, encodeSequences, splitAtSequence, startsFromLengths, type CorpusSequences, type SequenceSet } from '../corpus/sequences.ts';
import { BadRequestError, NotFoundError } from '../errors.ts';
import { ByteLru, corpusCacheBytes } from '../util/byte-lru.ts';

export interface CorpusSummary extends Ownership {
  id: number;
  name: string;
  chars: number;
  vocabSize: number;
  trainEnd: number;
  /** What a position is: a character, or a word (word-level corpora come from LSTMVis projects). */
  unit: 'char' | 'word';
  /** How many separate sequences it holds (lib/corpus/sequences.ts); null: one continuous text. */
  sequences: number | null;
  createdAt: Date;
}

export interface CreateCorpusInput {
  name: string;
  /** Already validated text (lib/corpus/validate-upload.ts). */
  text: string;
  validationFraction?: number;
  /** Who uploads it (shared mode; null: local mode). */
  ownerId?: number | null;
}

export async function createCorpus(db: Db, input: CreateCorpusInput): Promise<CorpusSummary> {
  const vocab = buildVocab(input.text);
  const ids = encode(input.text, vocab);
  const trainEnd = trainEndFor(ids.length, input.validationFraction);
  const row = await db.prisma.corpus.create({
    data: { name: input.name, text: input.text, chars: ids.length, vocab: JSON.stringify(vocab.chars), trainEnd, ownerId: input.ownerId ?? null },
    select: summarySelect,
  });
  tokenCache.set(row.id, { vocab, ids, trainEnd, unit: 'char', sequences: null });
  return toSummary(row);
}

/** Words may not hold whitespace: a word corpus's text is its tokens joined by single spaces. */
export const WORD_SEPARATOR = ' ';

/**
 * A corpus of tokens (e.g. words of an LSTMVis project) with its own vocabulary, token ids
 * indexing `vocab`. Stored as the tokens joined by single spaces (no token holds whitespace).
 */
export async function createTokenCorpus(db: Db, input: { name: string; vocab: readonly string[]; ids: Int32Array; unit: 'char' | 'word'; ownerId?: number | null; sequences?: CorpusSequences }): Promise<CorpusSummary> {
  const vocab = vocabFromChars(input.vocab);
  if (input.unit === 'word') {
    const bad = vocab.chars.find((w) => w === '' || /\s/.test(w));
    if (bad !== undefined) throw new Error(`word ${JSON.stringify(bad)} is empty or holds whitespace`);
  } else if (vocab.chars.some((c) => [...c].length !== 1)) throw new Error('a character corpus\'s vocabulary holds single characters');
  for (const id of input.ids) if (id < 0 || id >= vocab.chars.length) throw new Error(`token id ${id} is outside the vocabulary (${vocab.chars.length})`);
  const tokens = Array.from(input.ids, (id) => vocab.chars[id] as string);
  const text = input.unit === 'word' ? tokens.join(WORD_SEPARATOR) : tokens.join('');
  // A corpus of sequences is split between two sequences, not inside one.
  const trainEnd = input.sequences ? splitAtSequence(input.sequences.starts, trainEndFor(input.ids.length)) : trainEndFor(input.ids.length);
  const row = await db.prisma.corpus.create({
    data: {
      name: input.name, text, chars: input.ids.length, vocab: JSON.stringify(vocab.chars), trainEnd, unit: input.unit, ownerId: input.ownerId ?? null,
      ...(input.sequences ? { sequences: encodeSequences(input.sequences), sequenceCount: input.sequences.starts.length } : {}),
    },
    select: summarySelect,
  });
  tokenCache.set(row.id, { vocab, ids: Int32Array.from(input.ids), trainEnd, unit: input.unit, sequences: input.sequences ?? null });
  return toSummary(row);
}

/**
 * A corpus of separate sequences (lib/corpus/sequences.ts), of characters or of
 * whitespace-separated words, stored one after another; the state is reset at each start.
 */
export async function createSequenceCorpus(db: Db, input: { name: string; sequences: SequenceSet; unit: 'char' | 'word'; ownerId?: number | null }): Promise<CorpusSummary> {
  const words = input.unit === 'word';
  const pieces = input.sequences.texts.map((t) => (words ? t.split(/\s+/).filter((w) => w !== '') : [...t]));
  const empty = pieces.findIndex((p) => p.length === 0);
  if (empty >= 0) throw new BadRequestError(`sequence ${empty} has no ${words ? 'words' : 'characters'}`, 'file');
  const tokens = pieces.flat();
  if (tokens.length < 2) throw new BadRequestError('a corpus needs at least two tokens', 'file');
  const vocab = words ? [...new Set(tokens)].sort() : buildVocab(tokens.join('')).chars;
  if (vocab.length > MAX_WORD_VOCAB) throw new BadRequestError(`the sequences hold ${vocab.length.toLocaleString('en-US')} distinct words, over the ${MAX_WORD_VOCAB.toLocaleString('en-US')} a word-level corpus may hold`, 'file');
  const index = new Map(vocab.map((w, k) => [w, k]));
  const labels = input.sequences.labels.some((l) => l !== null) ? input.sequences.labels : null;
  return createTokenCorpus(db, {
    name: input.name, vocab, ids: Int32Array.from(tokens, (t) => index.get(t) as number), unit: input.unit, ownerId: input.ownerId ?? null,
    sequences: { starts: startsFromLengths(pieces.map((p) => p.length)), labels },
  });
}

/** Most distinct words a word corpus may hold (token ids are stored as uint16 in recordings). */
export const MAX_WORD_VOCAB = 65_536;

/** A word-level corpus from text: its whitespace-separated words, the vocabulary sorted. */
export async function createWordCorpus(db: Db, input: { name: string; text: string; ownerId?: number | null }): Promise<CorpusSummary> {
  const words = input.text.split(/\s+/).filter((w) => w !== '');
  if (words.length < 2) throw new BadRequestError('a word-level corpus needs at least two words', 'file');
  const vocab = [...new Set(words)].sort();
  if (vocab.length > MAX_WORD_VOCAB) throw new BadRequestError(`the text has ${vocab.length.toLocaleString('en-US')} distinct words, over the ${MAX_WORD_VOCAB.toLocaleString('en-US')} a word-level corpus may hold`, 'file');
  const index = new Map(vocab.map((w, k) => [w, k]));
  return createTokenCorpus(db, { name: input.name, vocab, ids: Int32Array.from(words, (w) => index.get(w) as number), unit: 'word', ownerId: input.ownerId ?? null });
}

/**
 * A corpus's tokens as ids of another vocabulary (a model's): each character, or word, looked up
 * by itself; one the vocabulary lacks is refused, naming it and its position.
 */
export async function corpusIdsIn(db: Db, corpusId: number, vocab: Vocab): Promise<Int32Array> {
  const tokens = await loadCorpusTokens(db, corpusId);
  const map = Int32Array.from(tokens.vocab.chars, (t) => vocab.index.get(t) ?? -1);
  const out = new Int32Array(tokens.ids.length);
  for (let p = 0; p < out.length; p++) {
    const id = map[tokens.ids[p] as number] as number;
    if (id < 0) throw new Error(`${tokens.unit === 'word' ? 'word' : 'character'} ${JSON.stringify(tokens.vocab.chars[tokens.ids[p] as number])} at position ${p} is not in the model's vocabulary`);
    out[p] = id;
  }
  return out;
}

// Not the sequences' starts: a summary is read on every request, and a corpus may hold millions.
const summarySelect = { id: true, name: true, chars: true, vocab: true, trainEnd: true, unit: true, sequenceCount: true, createdAt: true, ...ownershipSelect } as const;

function toSummary(row: { id: number; name: string; chars: number; vocab: string; trainEnd: number; unit: string; sequenceCount: number | null; createdAt: Date; visibility: string; owner: { id: number; email: string } | null }): CorpusSummary {
  return {
    ...toOwnership(row), id: row.id, name: row.name, chars: row.chars, vocabSize: (JSON.parse(row.vocab) as string[]).length, trainEnd: row.trainEnd, unit: row.unit === 'word' ? 'word' : 'char',
    sequences: row.sequenceCount, createdAt: row.createdAt,
  };
}

/** The corpora `visible` lets through (lib/auth/access.ts visibleWhere; {}: all), newest first. */
export async function listCorpora(db: Db, visible: VisibleWhere = {}): Promise<CorpusSummary[]> {
  const rows = await db.prisma.corpus.findMany({ where: visible, select: summarySelect, orderBy: { id: 'desc' } });
  return rows.map(toSummary);
}

export async function getCorpusSummary(db: Db, id: number): Promise<CorpusSummary> {
  const row = await db.prisma.corpus.findUnique({ where: { id }, select: summarySelect });
  if (!row) throw new NotFoundError('corpus', id);
  return toSummary(row);
}

export interface CorpusTokens {
  vocab: Vocab;
  /** Token id per position (character, or word) of the whole corpus. */
  ids: Int32Array;
  trainEnd: number;
  unit: 'char' | 'word';
  /** Where its sequences start, for a corpus of sequences (the state resets there); else null. */
  sequences: CorpusSequences | null;
}

/** A word corpus's stored text back into token ids. */
function encodeWords(text: string, vocab: Vocab): Int32Array {
  const words = text === '' ? [] : text.split(WORD_SEPARATOR);
  return Int32Array.from(words, (w, k) => {
    const id = vocab.index.get(w);
    if (id === undefined) throw new Error(`word ${JSON.stringify(w)} at position ${k} is not in the corpus's vocabulary`);
    return id;
  });
}

// Encoded corpora are reused by every window read and job; texts are immutable once stored.
// Bounded by bytes: ids at 4 bytes a position, and the vocabulary's strings.
const tokenCache = new ByteLru<number, CorpusTokens>({ maxBytes: corpusCacheBytes(), sizeOf: (t) => t.ids.byteLength + (t.sequences?.starts.byteLength ?? 0) + t.vocab.chars.reduce((a, c) => a + 2 * c.length + 64, 0) });

export async function loadCorpusTokens(db: Db, id: number): Promise<CorpusTokens> {
  const hit = tokenCache.get(id);
  if (hit) return hit;
  const row = await db.prisma.corpus.findUnique({ where: { id } });
  if (!row) throw new NotFoundError('corpus', id);
  const vocab = vocabFromChars(JSON.parse(row.vocab) as string[]);
  const unit = row.unit === 'word' ? 'word' : 'char';
  const tokens: CorpusTokens = { vocab, ids: unit === 'word' ? encodeWords(row.text, vocab) : encode(row.text, vocab), trainEnd: row.trainEnd, unit, sequences: decodeSequences(row.sequences) };
  tokenCache.set(id, tokens);
  return tokens;
}
