import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENDPOINTS, openApiDocument } from '../../../lib/http/api-contract.ts';

// Issue 11: one contract for the API. Every route and method is in the table, and only those.
const API = join(import.meta.dirname, '..', '..', '..', 'app', 'api');
const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : n === 'route.ts' ? [join(d, n)] : []));

test('the contract lists every route and method the app serves, and nothing else', async () => {
  const served = new Set<string>();
  for (const f of files(API)) {
    const path = `/api/${relative(API, f).replace(/\/?route\.ts$/, '').replace(/\[id\]/g, '{id}')}`;
    if (path === '/api/openapi.json') continue;
    const mod = (await import(f)) as Record<string, unknown>;
    for (const m of ['GET', 'POST', 'DELETE', 'PUT', 'PATCH']) if (typeof mod[m] === 'function') served.add(`${m} ${path}`);
  }
  const listed = new Set(ENDPOINTS.map((e) => `${e.method} ${e.path}`));
  assert.deepEqual([...served].filter((k) => !listed.has(k)), [], 'served but not in the contract');
  assert.deepEqual([...listed].filter((k) => !served.has(k)), [], 'in the contract but not served');
});

test('the OpenAPI 3.1 document describes the parameters and bodies from the routes\' own schemas', () => {
  const doc = openApiDocument() as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; required: boolean }[]; requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> } }>> };
  assert.equal(doc.openapi, '3.1.0');
  const window = doc.paths['/api/recordings/{id}/window']?.get;
  assert.deepEqual(window?.parameters?.map((p) => [p.name, p.required]), [['id', true], ['layer', true], ['quantity', true], ['start', true], ['end', true], ['cells', false]]);
  const runs = doc.paths['/api/runs']?.post?.requestBody?.content['application/json']?.schema.properties ?? {};
  assert.ok('corpusId' in runs && 'config' in runs);
  assert.ok(doc.paths['/api/lstmvis']?.post?.requestBody?.content['multipart/form-data']);
  assert.doesNotThrow(() => JSON.stringify(doc));
});

test('the OpenAPI document gives every answer\'s schema: JSON as the client receives it (dates as strings), events, files', () => {
  type Content = Record<string, { schema: { type?: string; format?: string; required?: string[]; properties?: Record<string, { type?: string; format?: string; properties?: Record<string, { type?: string; format?: string }> }>; additionalProperties?: boolean } }>;
  const doc = openApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, { content?: Content }> }>> };
  const window = doc.paths['/api/recordings/{id}/window']?.get?.responses['200']?.content?.['application/json']?.schema;
  assert.deepEqual(window?.required, ['start', 'end', 'cells', 'values']);
  assert.equal(window?.additionalProperties, false);
  const corpus = doc.paths['/api/corpora']?.post?.responses['201']?.content?.['application/json']?.schema.properties?.corpus?.properties;
  assert.deepEqual([corpus?.createdAt?.type, corpus?.createdAt?.format], ['string', 'date-time']);
  assert.equal(doc.paths['/api/runs/{id}/events']?.get?.responses['200']?.content?.['text/event-stream']?.schema.properties?.metrics?.type, 'array');
  assert.equal(doc.paths['/api/recordings/{id}/export']?.get?.responses['200']?.content?.['application/octet-stream']?.schema.format, 'binary');
  for (const e of ENDPOINTS) assert.ok(doc.paths[e.path]?.[e.method.toLowerCase()]?.responses[String(e.ok)]?.content, `${e.method} ${e.path}`);
});

test('every route naming an item by id says what its caller needs on it (checked before the route runs, in shared mode)', async () => {
  const missing = ENDPOINTS.filter((e) => e.path.includes('{id}') && e.access === undefined).map((e) => `${e.method} ${e.path}`);
  assert.deepEqual(missing, []);
  const writes = ENDPOINTS.filter((e) => e.access === 'write').map((e) => `${e.method} ${e.path}`);
  for (const k of ['DELETE /api/corpora/{id}', 'DELETE /api/runs/{id}', 'DELETE /api/recordings/{id}', 'POST /api/runs/{id}/cancel', 'POST /api/jobs/{id}/cancel', 'POST /api/recordings/{id}/sharing']) assert.ok(writes.includes(k), k);
  const { endpointOf } = await import('../../../lib/http/endpoint-access.ts');
  assert.deepEqual({ ...endpointOf('GET', '/api/recordings/12/saliency/decay'), endpoint: undefined }, { endpoint: undefined, kind: 'recording', id: 12 });
  assert.equal(endpointOf('GET', '/api/labels/3/sharing')?.kind, 'labels');
  assert.equal(endpointOf('PUT', '/api/runs/3'), null);
});
