export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** One-hot inputs grow with the vocabulary; past this a character model is the wrong tool. */
export const MAX_VOCAB = 2000;

export class CorpusValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorpusValidationError';
  }
}

/** The upload limit in bytes: CELLSCOPE_MAX_UPLOAD_MB, default 50 MB. */
export function maxUploadBytes(): number {
  const mb = Number(process.env.CELLSCOPE_MAX_UPLOAD_MB ?? '');
  return Number.isFinite(mb) && mb > 0 ? Math.floor(mb * 1024 * 1024) : DEFAULT_MAX_UPLOAD_BYTES;
}

/**
 * Turns uploaded bytes into corpus text, or throws CorpusValidationError saying what is wrong:
 * too large, empty, not UTF-8, binary (NUL bytes or many control characters), or too many
 * distinct characters. A UTF-8 byte-order mark is dropped; line endings are kept as they are.
 */
export function decodeCorpusUpload(bytes: Uint8Array, limit = maxUploadBytes()): string {
  if (bytes.byteLength > limit) {
    throw new CorpusValidationError(
      `file is ${(bytes.byteLength / 1048576).toFixed(1)} MB, over the ${(limit / 1048576).toFixed(0)} MB upload limit`,
    );
  }
  if (bytes.byteLength === 0) throw new CorpusValidationError('file is empty');
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new CorpusValidationError(`file looks binary: NUL byte at offset ${nul}; upload plain UTF-8 text`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CorpusValidationError(`file is not valid UTF-8 text (first bad byte near offset ${firstInvalidUtf8(bytes)})`);
  }
  if (text.trim().length === 0) throw new CorpusValidationError('file contains only whitespace');
  let control = 0;
  let total = 0;
  const distinct = new Set<string>();
  for (const ch of text) {
    total++;
    distinct.add(ch);
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 127) control++;
  }
  if (control > Math.max(8, total * 0.01)) {
    throw new CorpusValidationError(`file looks binary: ${control} control characters in ${total}`);
  }
  if (total < 2) throw new CorpusValidationError('file needs at least 2 characters');
  if (distinct.size > MAX_VOCAB) {
    throw new CorpusValidationError(`file has ${distinct.size} distinct characters; a character model takes at most ${MAX_VOCAB}`);
  }
  return text;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix, using the same strict decoder.
  let lo = 0;
  let hi = bytes.byteLength;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}
