import { ZodError } from 'zod';
import { CorpusValidationError } from '../corpus/validate-upload.ts';
import { describeErrorKind, TooManyRequestsError, type ErrorKind } from '../errors.ts';

/**
 * The one error mapper for every API route, through the error-kind table (lib/errors.ts):
 * validation -> 400 naming the field, unknown ids -> 404, forbidden -> 403, state conflicts ->
 * 409, too large -> 413, not JSON -> 415, too many -> 429 (with Retry-After), past its time -> 503, anything else -> 500 (logged;
 * its message is not sent). The body is {error, kind, field?}.
 */
export function handleApiError(err: unknown): Response {
  const e = describeErrorKind(err, classifyValidation);
  if (e.kind === 'internal') {
    console.error(err);
    return Response.json({ error: 'internal error: the server could not complete this request (see its log)', kind: e.kind }, { status: e.status });
  }
  const headers: Record<string, string> = err instanceof TooManyRequestsError && err.retryAfterSeconds !== undefined ? { 'retry-after': String(Math.ceil(err.retryAfterSeconds)) } : {};
  return Response.json({ error: e.message, kind: e.kind, ...(e.field !== undefined ? { field: e.field } : {}) }, { status: e.status, headers });
}

/** Validation errors of the libraries the routes use, as kinds (shared with the CLI). */
export function classifyValidation(err: unknown): { kind: ErrorKind; field?: string; message?: string } | null {
  if (err instanceof ZodError) {
    const first = err.issues[0];
    // ZodError's own message is JSON of its issues: say them in one line instead.
    return { kind: 'bad_request', field: first?.path.join('.') ?? '', message: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
  }
  if (err instanceof CorpusValidationError) return { kind: /upload limit/.test(err.message) ? 'too_large' : 'bad_request', field: 'file' };
  return null;
}
