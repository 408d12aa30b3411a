import { maxUploadBytes } from '../corpus/validate-upload.ts';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors.ts';
import { concatBytes } from '../util/bytes.ts';

/** The most bytes a JSON body may have (label tracks, which can be large, pass the upload limit). */
export const MAX_JSON_BYTES = 1024 ** 2;
/** What a multipart envelope (boundaries, part headers) may add to the upload limit. */
const MULTIPART_SLACK = 64 * 1024;

const mb = (n: number): string => (n / 1048576 >= 10 ? (n / 1048576).toFixed(0) : (n / 1048576).toFixed(1));

/**
 * A request body, counted while it streams: over `limit` bytes it stops reading and throws a
 * 413, whether or not the client declared a Content-Length (a chunked upload declares none).
 */
export async function readBodyBytes(req: Request, limit: number, what = 'the request body'): Promise<Uint8Array> {
  const tooLarge = (): PayloadTooLargeError => new PayloadTooLargeError(`${what} is over the ${mb(limit)} MB limit`, 'body');
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      throw new BadRequestError(`${what} could not be read`, 'body');
    }
    if (step.done) break;
    total += step.value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(step.value);
  }
  return total === 0 ? new Uint8Array(0) : concatBytes(parts);
}

/**
 * A JSON body: `Content-Type: application/json` (a text/plain POST is what a foreign page can
 * send without a CORS preflight, so it is a 415), at most `limit` bytes, malformed JSON a 400.
 * An empty body is `{}`.
 */
export async function readJsonBody(req: Request, opts: { limit?: number } = {}): Promise<unknown> {
  const bytes = await readBodyBytes(req, opts.limit ?? MAX_JSON_BYTES, 'the JSON body');
  if (bytes.length === 0) return {};
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) {
    throw new UnsupportedMediaTypeError(`send the body as JSON with "Content-Type: application/json"${type ? `, not ${type}` : ''}`);
  }
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError('request body is not valid JSON');
  }
}

/**
 * The multipart body of an upload route, counted while it streams against the upload limit
 * (413), or a 400 with `hint` saying what to send when it is not multipart.
 */
export async function readMultipart(req: Request, hint: string, field = 'files'): Promise<{ form: FormData; files: File[]; limit: number }> {
  const limit = maxUploadBytes();
  const contentType = req.headers.get('content-type') ?? '';
  if (!contentType.toLowerCase().includes('multipart/form-data')) throw new BadRequestError(hint, field);
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit + MULTIPART_SLACK) throw new PayloadTooLargeError(`upload is ${mb(declared)} MB, over the ${mb(limit)} MB upload limit`, field);
  let bytes: Uint8Array;
  try {
    bytes = await readBodyBytes(req, limit + MULTIPART_SLACK, 'the upload');
  } catch (err) {
    if (err instanceof PayloadTooLargeError) throw new PayloadTooLargeError(`upload is over the ${mb(limit)} MB upload limit`, field);
    throw err;
  }
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'Content-Type': contentType } }).formData();
  } catch {
    throw new BadRequestError('could not read the multipart body', field);
  }
  return { form, files: form.getAll('files').filter((f): f is File => f instanceof File), limit };
}
