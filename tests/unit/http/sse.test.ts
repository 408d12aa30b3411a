import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { NotFoundError } from '../../../lib/errors.ts';
import { pollingEventStream } from '../../../lib/http/sse.ts';

async function readAll(res: Response): Promise<string> {
  return new Response(res.body).text();
}
const stepSchema = z.strictObject({ step: z.number() });

test('events are sent as they change, keep-alives in between, and an end event closes the stream', async () => {
  const states = [{ data: { step: 1 }, done: false }, { done: false }, { data: { step: 2 }, done: true }];
  let k = 0;
  const res = pollingEventStream(new Request('http://localhost'), { schema: stepSchema, next: async () => states[k++] ?? { done: true }, intervalMs: 5 });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const text = await readAll(res);
  assert.equal(text, 'data: {"step":1}\n\n: keep-alive\n\ndata: {"step":2}\n\nevent: end\ndata: {}\n\n');
});

test('a failing poll sends an error event and closes: a known kind with its words, anything else without its internal message', async () => {
  const gone = pollingEventStream(new Request('http://localhost'), {
    schema: stepSchema,
    next: async () => {
      throw new NotFoundError('run', 7);
    },
  });
  const text = await readAll(gone);
  assert.match(text, /^event: error\ndata: \{"error":"[^"]*run 7[^"]*","kind":"not_found"\}\n\n$/);

  const logged = console.error;
  console.error = () => {};
  try {
    const internal = pollingEventStream(new Request('http://localhost'), {
      schema: stepSchema,
      next: async () => {
        throw new Error('SQLITE_CORRUPT at /var/lib/secret.db');
      },
    });
    const body = await readAll(internal);
    assert.match(body, /^event: error\ndata: .*"kind":"internal"/);
    assert.doesNotMatch(body, /secret/);
  } finally {
    console.error = logged;
  }
});

test('a client abort stops the polling', async () => {
  const ctrl = new AbortController();
  let polls = 0;
  const live = pollingEventStream(new Request('http://localhost', { signal: ctrl.signal }), {
    schema: z.strictObject({ polls: z.number() }),
    next: async () => {
      polls++;
      return { data: { polls }, done: false };
    },
    intervalMs: 5,
  });
  setTimeout(() => ctrl.abort(), 40);
  await readAll(live);
  const after = polls;
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(polls, after, 'no polling after the client went away');
  assert.ok(after >= 2);
});

test('checked mode: an event that breaks its contract ends the stream with an error event instead of reaching the client', async () => {
  process.env.CELLSCOPE_CHECK_RESPONSES = '1';
  const logged = console.error;
  console.error = () => {};
  try {
    // The route's types would refuse this; a cast stands for a lib function that grew a field.
    const res = pollingEventStream(new Request('http://localhost'), { schema: stepSchema, next: async () => ({ data: { step: 1, secret: 'x' } as { step: number }, done: true }) });
    const text = await readAll(res);
    assert.doesNotMatch(text, /secret/);
    assert.match(text, /^event: error\n/);
  } finally {
    console.error = logged;
    delete process.env.CELLSCOPE_CHECK_RESPONSES;
  }
});
