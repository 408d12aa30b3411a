import type { z } from 'zod';
import type { IsoDate } from './schemas/common.ts';

/**
 * What a route may hand over for a response schema's output: the same shape, where a Date may
 * stand for an isoDate (JSON turns it into one). So the compiler checks every route's answer
 * against its contract (lib/http/api-contract.ts) while the client reads the JSON's types.
 */
export type Serialized<T> = T extends IsoDate
  ? Date | string
  : T extends readonly (infer U)[]
    ? readonly Serialized<U>[]
    : T extends object
      ? { [K in keyof T]: Serialized<T[K]> }
      : T;

/**
 * Whether answers are checked against their schemas at run time: on in the test suite and the
 * journeys' servers (CELLSCOPE_CHECK_RESPONSES=1), off in production, where the type check has
 * already done it and a 2-million-value window should not be walked twice.
 */
export function checkingResponses(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.CELLSCOPE_CHECK_RESPONSES === '1';
}

/** Thrown when a route's answer breaks its contract (checked mode): a 500, and its log says why. */
export class ContractError extends Error {
  constructor(issues: string) {
    super(`the response does not match its contract: ${issues}`);
    this.name = 'ContractError';
  }
}

/** Checks JSON text against a response schema; throws ContractError naming the first issues. */
export function checkAgainstContract(schema: z.ZodType, json: string): void {
  const result = schema.safeParse(JSON.parse(json));
  if (!result.success) throw new ContractError(result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
}

/**
 * A JSON response that the compiler checks against `schema` (its contract), and that checked
 * mode also parses as the client will receive it, so a field added without the contract fails
 * the tests instead of reaching scripts undocumented.
 */
export function respond<S extends z.ZodType>(schema: S, data: Serialized<z.output<S>>, init?: ResponseInit): Response {
  if (!checkingResponses()) return Response.json(data, init);
  const json = JSON.stringify(data);
  checkAgainstContract(schema, json);
  const headers = new Headers(init?.headers);
  headers.set('content-type', 'application/json');
  return new Response(json, { ...init, headers });
}
