import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { describeError } from '../../../lib/cli/describe-error.ts';
import { UsageError } from '../../../lib/cli/args.ts';
import { BadRequestError, ConflictError, ERROR_KINDS, ForbiddenError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, UnsupportedMediaTypeError } from '../../../lib/errors.ts';
import { handleApiError } from '../../../lib/http/handle-api-error.ts';

// Issue 11: one error-kind table for HTTP and the CLI; a 500 never returns an internal message.
test('every error class maps to one kind, with its HTTP status and CLI exit code from one table', async () => {
  const zod = (() => {
    try {
      z.object({ n: z.number() }).parse({ n: 'x' });
    } catch (e) {
      return e;
    }
    throw new Error('unreachable');
  })();
  const cases: [unknown, keyof typeof ERROR_KINDS][] = [
    [new BadRequestError('bad', 'f'), 'bad_request'], [zod, 'bad_request'], [new NotFoundError('run', 7), 'not_found'],
    [new ConflictError('busy'), 'conflict'], [new PayloadTooLargeError('big'), 'too_large'], [new ForbiddenError('no'), 'forbidden'],
    [new UnsupportedMediaTypeError('json'), 'unsupported_media_type'], [new ServiceUnavailableError('slow'), 'unavailable'],
    [new Error('SQLITE_CONSTRAINT: NOT NULL constraint failed: Run.secret at /srv/x.db'), 'internal'],
  ];
  const log = console.error;
  console.error = () => {};
  try {
    for (const [err, kind] of cases) {
      const res = handleApiError(err);
      const body = (await res.json()) as { error: string; kind: string; field?: string };
      assert.equal(res.status, ERROR_KINDS[kind].status, kind);
      assert.equal(body.kind, kind);
      assert.equal(describeError(err).code, ERROR_KINDS[kind].exit, kind);
      if (kind === 'internal') assert.doesNotMatch(body.error, /SQLITE|secret|\/srv/, 'no internal message');
    }
  } finally {
    console.error = log;
  }
  const zodBody = (await handleApiError(zod).json()) as { error: string; field: string };
  assert.deepEqual([zodBody.field, zodBody.error], ['n', 'n: Invalid input: expected number, received string']);
  assert.equal(describeError(new UsageError('--x needed')).code, 2);
});
