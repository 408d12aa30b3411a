import { ZodError } from 'zod';
import { CorpusValidationError } from '../corpus/validate-upload.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.ts';
import { UsageError } from './args.ts';

/** One line for stderr and an exit code: 2 for bad input or unknown ids, 1 for failures. */
export function describeError(err: unknown): { message: string; code: number } {
  if (err instanceof ZodError) {
    return { message: err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '), code: 2 };
  }
  if (err instanceof UsageError || err instanceof CorpusValidationError || err instanceof BadRequestError || err instanceof NotFoundError || err instanceof ConflictError) {
    return { message: err.message, code: 2 };
  }
  return { message: err instanceof Error ? err.message : String(err), code: 1 };
}
