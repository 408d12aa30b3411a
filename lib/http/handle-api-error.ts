import { ZodError } from 'zod';
import { CorpusValidationError } from '../corpus/validate-upload.ts';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, UnsupportedMediaTypeError } from '../errors.ts';

/**
 * The one error mapper for every API route: validation -> 400 naming the field, unknown ids ->
 * 404, forbidden -> 403, state conflicts -> 409, too large -> 413, not JSON -> 415, anything
 * else -> 500 (logged; its message is not sent).
 */
export function handleApiError(err: unknown): Response {
  if (err instanceof ZodError) {
    const first = err.issues[0];
    const field = first?.path.join('.') ?? '';
    const message = err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    return Response.json({ error: message, field }, { status: 400 });
  }
  if (err instanceof CorpusValidationError) {
    return Response.json({ error: err.message, field: 'file' }, { status: /upload limit/.test(err.message) ? 413 : 400 });
  }
  if (err instanceof PayloadTooLargeError) return Response.json({ error: err.message, field: err.field }, { status: 413 });
  if (err instanceof BadRequestError) return Response.json({ error: err.message, field: err.field }, { status: 400 });
  if (err instanceof NotFoundError) return Response.json({ error: err.message }, { status: 404 });
  if (err instanceof ConflictError) return Response.json({ error: err.message }, { status: 409 });
  if (err instanceof ForbiddenError) return Response.json({ error: err.message }, { status: 403 });
  if (err instanceof ServiceUnavailableError) return Response.json({ error: err.message }, { status: 503 });
  if (err instanceof UnsupportedMediaTypeError) return Response.json({ error: err.message, field: 'body' }, { status: 415 });
  // An internal message (a database error, a stack detail) is logged, never sent.
  console.error(err);
  return Response.json({ error: 'internal error: the server could not complete this request (see its log)' }, { status: 500 });
}
