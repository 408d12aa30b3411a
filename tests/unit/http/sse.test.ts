import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pollingEventStream } from '../../../lib/http/sse.ts';

async function readAll(res: Response): Promise<string> {
  return new Response(res.body).text();
}

test('events are sent as they change, keep-alives in between, and an end event closes the stream', async () => {
  const states = [{ data: { step: 1 }, done: false }, { done: false }, { data: { step: 2 }, done: true }];
  let k = 0;
  const res = pollingEventStream(new Request('http://localhost'), async () => states[k++] ?? { done: true }, 5);
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const text = await readAll(res);
  assert.equal(text, 'data: {"step":1}\n\n: keep-alive\n\ndata: {"step":2}\n\nevent: end\ndata: {}\n\n');
});

test('a failing poll sends an error event and closes; a client abort stops the polling', async () => {
  const res = pollingEventStream(new Request('http://localhost'), async () => {
    throw new Error('database gone');
  });
  assert.match(await readAll(res), /^event: error\ndata: \{"error":"database gone"\}\n\n$/);

  const ctrl = new AbortController();
  let polls = 0;
  const live = pollingEventStream(new Request('http://localhost', { signal: ctrl.signal }), async () => {
    polls++;
    return { data: { polls }, done: false };
  }, 5);
  setTimeout(() => ctrl.abort(), 40);
  await readAll(live);
  const after = polls;
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(polls, after, 'no polling after the client went away');
  assert.ok(after >= 2);
});
