import type { z } from 'zod';
import type { EndpointDefinitions } from './api-contract.ts';

/**
 * The typed client the components call: one function for every route of the contract
 * (lib/http/api-contract.ts), its path parameters, query, body and answer typed from the same zod
 * schemas the routes parse and answer with. Only types come from the contract, so nothing of the
 * server reaches the browser bundle. Errors arrive as ApiError with the API's own words.
 *
 *   const w = await api('GET /api/recordings/{id}/window', { id, query: { layer: 0, quantity: 'h', start: 0, end: 200 } });
 */

type Endpoints = EndpointDefinitions[number];
type KeyOf<E> = E extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
type EndpointMap = { [E in Endpoints as KeyOf<E>]: E };

/** Every route, as "METHOD /api/path/{id}". */
export type ApiRoute = keyof EndpointMap;
type EndpointAt<K extends ApiRoute> = EndpointMap[K];

/** What a route answers (its JSON, as the client receives it). */
export type ApiResponse<K extends ApiRoute> = EndpointAt<K> extends { response: infer S extends z.ZodType } ? z.output<S> : never;
/** What a route takes as its JSON body (as a client sends it: before defaults). */
export type ApiBody<K extends ApiRoute> = EndpointAt<K> extends { body: infer S extends z.ZodType } ? z.input<S> : never;
/** What each event of a route's event stream carries. */
export type ApiEvent<K extends ApiRoute> = EndpointAt<K> extends { events: infer S extends z.ZodType } ? z.output<S> : never;

type Flag = '0' | '1' | 'true' | 'false';
/** Query values as a caller has them: numbers for the integer fields, booleans for flags. */
type QueryValue<T> = unknown extends T ? number : [T] extends [Flag | undefined] ? boolean : T extends 'pos' | number ? T | number : T;
type QueryOf<S extends z.ZodType> = { [K in keyof z.input<S>]: QueryValue<z.input<S>[K]> };
type Optionality<Name extends string, T> = {} extends T ? { [N in Name]?: T } : { [N in Name]: T };

type IdPart<K extends ApiRoute> = K extends `${string}{id}${string}` ? { id: number | string } : unknown;
type QueryPart<E> = E extends { query: infer S extends z.ZodType } ? Optionality<'query', QueryOf<S>> : unknown;
type BodyPart<E> = E extends { body: infer S extends z.ZodType } ? { body: z.input<S> } : unknown;
type FormPart<E> = E extends { multipart: object } ? { form: FormData } : unknown;

/** What a call of route K takes: its {id}, query, JSON body or form, and an abort signal. */
export type ApiRequest<K extends ApiRoute> = IdPart<K> & QueryPart<EndpointAt<K>> & BodyPart<EndpointAt<K>> & FormPart<EndpointAt<K>> & { signal?: AbortSignal };
type RequestArgs<K extends ApiRoute> = {} extends ApiRequest<K> ? [request?: ApiRequest<K>] : [request: ApiRequest<K>];

/** A refused or failed request: the API's own message, its error kind and the field at fault. */
export class ApiError extends Error {
  readonly status: number;
  readonly kind: string | undefined;
  readonly field: string | undefined;
  constructor(message: string, init: { status: number; kind?: string | undefined; field?: string | undefined }) {
    super(message);
    this.name = 'ApiError';
    this.status = init.status;
    this.kind = init.kind;
    this.field = init.field;
  }
}

/** The URL of route K: {id} filled in and the query written as the routes parse it (flags 1/0). */
export function apiUrl<K extends ApiRoute>(route: K, request: { id?: number | string; query?: Record<string, unknown> } = {}): string {
  const path = route.slice(route.indexOf(' ') + 1).replace('{id}', encodeURIComponent(String(request.id ?? '')));
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value === undefined || value === null) continue;
    params.set(name, typeof value === 'boolean' ? (value ? '1' : '0') : Array.isArray(value) ? value.join(',') : String(value as string | number));
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** Where a client sends its requests: the page's own server by default, or a base URL with headers (a script). */
export interface ApiClientOptions {
  /** e.g. http://127.0.0.1:3000; '' (the default): the page's own origin. */
  baseUrl?: string;
  /** Sent with every request, e.g. {authorization: 'Bearer TOKEN'} for a script in shared mode. */
  headers?: Record<string, string>;
}

/** A client for one server: `api(route, request)` as below, with its base URL and headers. */
export function createApiClient(opts: ApiClientOptions = {}) {
  const { baseUrl = '', headers = {} } = opts;
  /** Calls route K and answers its JSON; throws ApiError for any answer that is not a success. */
  return async function call<K extends ApiRoute>(route: K, ...[request]: RequestArgs<K>): Promise<ApiResponse<K>> {
    const req = (request ?? {}) as { id?: number | string; query?: Record<string, unknown>; body?: unknown; form?: FormData; signal?: AbortSignal };
    const method = route.slice(0, route.indexOf(' '));
    const init: RequestInit = { method, headers: { ...headers }, ...(req.signal ? { signal: req.signal } : {}) };
    if (req.form) init.body = req.form;
    else if (req.body !== undefined) {
      init.body = JSON.stringify(req.body);
      init.headers = { ...headers, 'Content-Type': 'application/json' };
    }
    const res = await fetch(baseUrl + apiUrl(route, req), init);
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) throw refusal(res.status, body);
    // The one place the client trusts the server: the contract test and the journeys' checked
    // server (lib/http/respond.ts) hold every route's answer to this type.
    return body as ApiResponse<K>;
  };
}

/** The components' client: the page's own server, with the browser's session cookie. */
export const api = createApiClient();

/** The ApiError of a refused request, from the error body {error, kind, field?} when there is one. */
function refusal(status: number, body: unknown): ApiError {
  const e = (body ?? {}) as { error?: unknown; kind?: unknown; field?: unknown };
  return new ApiError(typeof e.error === 'string' ? e.error : `request failed (${status})`, {
    status,
    kind: typeof e.kind === 'string' ? e.kind : undefined,
    field: typeof e.field === 'string' ? e.field : undefined,
  });
}

/**
 * Sends a multipart route's form with upload progress (fetch reports none, so XMLHttpRequest):
 * `onProgress` gets the fraction sent. Answers like api().
 */
export function apiUpload<K extends ApiRoute>(route: K, request: ApiRequest<K> & { form: FormData; onProgress?: (fraction: number) => void }): Promise<ApiResponse<K>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(route.slice(0, route.indexOf(' ')), apiUrl(route, request as { id?: number | string }));
    xhr.upload.onprogress = (e) => e.lengthComputable && request.onProgress?.(e.loaded / e.total);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: refused below with its status
      }
      if (xhr.status >= 200 && xhr.status < 300 && body !== null) resolve(body as ApiResponse<K>);
      else reject(refusal(xhr.status, body));
    };
    xhr.onerror = () => reject(new ApiError('the server could not be reached', { status: 0 }));
    xhr.send(request.form);
  });
}

/**
 * Follows route K's server-sent events: `onEvent` gets each event's data, `onEnd` the end of
 * the stream (or its error event's words). Returns the function that closes it.
 */
export function apiEvents<K extends ApiRoute>(route: K, request: ApiRequest<K>, handlers: { onEvent: (data: ApiEvent<K>) => void; onEnd?: (error?: string) => void }): () => void {
  const source = new EventSource(apiUrl(route, request as { id?: number | string; query?: Record<string, unknown> }));
  const close = (): void => source.close();
  source.onmessage = (e: MessageEvent<string>) => handlers.onEvent(JSON.parse(e.data) as ApiEvent<K>);
  source.addEventListener('end', () => {
    close();
    handlers.onEnd?.();
  });
  source.addEventListener('error', (e) => {
    // A server's error event carries {error}; a dropped connection is retried by EventSource.
    const data = (e as MessageEvent<unknown>).data;
    if (typeof data !== 'string') return;
    close();
    const parsed = JSON.parse(data) as { error?: string };
    handlers.onEnd?.(parsed.error ?? 'the stream failed');
  });
  return close;
}
