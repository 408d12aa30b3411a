import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, apiUrl, createApiClient } from '../../../lib/http/client.ts';

// The typed client (lib/http/client.ts): URLs as the routes parse them, bodies and headers as
// sent, and refusals as ApiError with the API's own words. Against a real HTTP server on
// loopback that answers what it was asked (every route's own answers are held to the contract by
// response-contract.test.ts and by the journeys, which drive the components through this client).
let server: Server;
let base = '';
const seen: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/api/runs/404')) {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: 'run 404 not found', kind: 'not_found' }));
      } else if (req.url === '/api/runs' && req.method === 'POST') {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'config.hidden: Too big', kind: 'bad_request', field: 'config.hidden' }));
      } else if (req.url?.startsWith('/api/admin')) {
        res.statusCode = 502;
        res.end('<html>bad gateway</html>');
      } else res.end(JSON.stringify({ offset: 42 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('apiUrl fills in {id} and writes the query as the routes parse it: flags as 1/0, cells as a list, nothing for undefined', () => {
  assert.equal(
    apiUrl('GET /api/recordings/{id}/match', { id: 7, query: { layer: 0, quantity: 'h', strips: true, offBefore: false, cells: [3, 17], track: undefined, mode: 'soft' } }),
    '/api/recordings/7/match?layer=0&quantity=h&strips=1&offBefore=0&cells=3%2C17&mode=soft',
  );
  assert.equal(apiUrl('GET /api/runs'), '/api/runs');
  assert.equal(apiUrl('GET /api/recordings/{id}/search', { id: 'a/b', query: { q: 'a & b' } }), '/api/recordings/a%2Fb/search?q=a+%26+b');
});

test('a call sends its method, JSON body and headers, and answers the JSON', async () => {
  const api = createApiClient({ baseUrl: base, headers: { authorization: 'Bearer T' } });
  const found = await api('GET /api/recordings/{id}/search', { id: 3, query: { q: 'if', from: 5 } });
  assert.equal(found.offset, 42);
  await api('POST /api/runs/{id}/sample', { id: 9, body: { length: 20 } });
  const [get, post] = seen.slice(-2);
  assert.deepEqual([get?.method, get?.url, get?.headers.authorization], ['GET', '/api/recordings/3/search?q=if&from=5', 'Bearer T']);
  assert.deepEqual([post?.method, post?.url, post?.headers['content-type'], post?.body, post?.headers.authorization], ['POST', '/api/runs/9/sample', 'application/json', '{"length":20}', 'Bearer T']);
});

test('a refusal is an ApiError with the API\'s message, kind, field and status; a body that is not JSON still says its status', async () => {
  const api = createApiClient({ baseUrl: base });
  await assert.rejects(api('GET /api/runs/{id}', { id: 404 }), (e: unknown) => e instanceof ApiError && e.message === 'run 404 not found' && e.kind === 'not_found' && e.status === 404);
  await assert.rejects(api('POST /api/runs', { body: { corpusId: 1, config: { hidden: 9999 } } }), (e: unknown) => e instanceof ApiError && e.field === 'config.hidden' && e.status === 400);
  await assert.rejects(api('GET /api/admin'), (e: unknown) => e instanceof ApiError && e.message === 'request failed (502)' && e.kind === undefined);
});
