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
