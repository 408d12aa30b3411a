import { ZodError } from 'zod';
import { CorpusValidationError } from '../corpus/validate-upload.ts';
import { BadRequestError, ConflictError, NotFoundError, PayloadTooLargeError } from '../errors.ts';

/**
 * The one error mapper for every API route: validation -> 400 naming the field, unknown ids ->
 * 404, state conflicts -> 409, too large -> 413, anything else -> 500 (logged).
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
  console.error(err);
  return Response.json({ error: err instanceof Error ? err.message : 'internal error' }, { status: 500 });
}

/** Reads a JSON body, turning malformed JSON into a 400 rather than a 500. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError('request body is not valid JSON');
  }
}
