/** An id that names nothing stored: HTTP 404, CLI exit code 2. */
export class NotFoundError extends Error {
  constructor(what: string, id: number | string) {
    super(`${what} ${id} not found`);
    this.name = 'NotFoundError';
  }
}

/** Input that is well-formed but cannot be acted on (e.g. a corpus too short): HTTP 400. */
export class BadRequestError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** The request conflicts with the current state (e.g. recording a run with no checkpoint): 409. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** An upload over the size limit: HTTP 413. */
export class PayloadTooLargeError extends Error {
  constructor(message: string, readonly field = 'files') {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

/** No credentials, or ones that name nobody (shared mode): HTTP 401. */
export class UnauthorizedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** The request is refused whatever its content (a foreign origin, a host not served): HTTP 403. */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** A body in a format the route does not read (e.g. text/plain where JSON is needed): HTTP 415. */
export class UnsupportedMediaTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}

/** The server could not finish the request in time (a heavy request past its limit): HTTP 503. */
export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}

/** Too many of something at once: failed logins in a row, or jobs waiting for one user: HTTP 429. */
export class TooManyRequestsError extends Error {
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
    this.name = 'TooManyRequestsError';
  }
}

/**
 * The one table of error kinds, for HTTP (status) and the CLI (exit code): every thrown error
 * maps to one kind here (lib/http/handle-api-error.ts, lib/cli/describe-error.ts).
 */
export const ERROR_KINDS = {
  bad_request: { status: 400, exit: 2 },
  unauthorized: { status: 401, exit: 2 },
  forbidden: { status: 403, exit: 2 },
  not_found: { status: 404, exit: 2 },
  conflict: { status: 409, exit: 2 },
  too_large: { status: 413, exit: 2 },
  unsupported_media_type: { status: 415, exit: 2 },
  too_many_requests: { status: 429, exit: 2 },
  unavailable: { status: 503, exit: 1 },
  internal: { status: 500, exit: 1 },
} as const;
export type ErrorKind = keyof typeof ERROR_KINDS;

export interface DescribedError {
  kind: ErrorKind;
  status: number;
  exit: number;
  message: string;
  field?: string;
}

/**
 * What an error is, by its class: the kind, its status and exit code, its message and the field
 * it names. Errors of unknown classes are `internal` (their message is for logs, not for clients).
 */
export function describeErrorKind(err: unknown, classify: (err: unknown) => { kind: ErrorKind; field?: string; message?: string } | null = () => null): DescribedError {
  const extra = classify(err);
  const message = extra?.message ?? (err instanceof Error ? err.message : String(err));
  const field = (err as { field?: unknown } | null)?.field;
  const pick = (kind: ErrorKind, f?: string): DescribedError => ({ kind, ...ERROR_KINDS[kind], message, ...(f !== undefined ? { field: f } : typeof field === 'string' ? { field } : {}) });
  if (extra) return pick(extra.kind, extra.field);
  if (err instanceof BadRequestError) return pick('bad_request');
  if (err instanceof NotFoundError) return pick('not_found');
  if (err instanceof ConflictError) return pick('conflict');
  if (err instanceof PayloadTooLargeError) return pick('too_large');
  if (err instanceof ForbiddenError) return pick('forbidden');
  if (err instanceof UnauthorizedError) return pick('unauthorized');
  if (err instanceof UnsupportedMediaTypeError) return pick('unsupported_media_type', 'body');
  if (err instanceof ServiceUnavailableError) return pick('unavailable');
  if (err instanceof TooManyRequestsError) return pick('too_many_requests');
  return pick('internal');
}
