import { describeErrorKind } from '../errors.ts';
import { classifyValidation } from '../http/handle-api-error.ts';
import { UsageError } from './args.ts';

/**
 * One line for stderr and an exit code, from the same error-kind table as HTTP (lib/errors.ts):
 * 2 for bad input, unknown ids, conflicts and refusals, 1 for failures.
 */
export function describeError(err: unknown): { message: string; code: number } {
  const e = describeErrorKind(err, (x) => (x instanceof UsageError ? { kind: 'bad_request' } : classifyValidation(x)));
  return { message: e.message, code: e.exit };
}
