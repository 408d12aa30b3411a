import type { z } from 'zod';
import { describeErrorKind } from '../errors.ts';
import { classifyValidation } from './handle-api-error.ts';
import { checkAgainstContract, checkingResponses, type Serialized } from './respond.ts';

export interface EventStreamOptions<S extends z.ZodType> {
  /** What each event's data is (its contract: lib/http/schemas/), checked like respond()'s answers. */
  schema: S;
  /** The next event's data (undefined: nothing new), and whether the stream ends after it. */
  next: () => Promise<{ data?: Serialized<z.output<S>>; done: boolean }>;
  intervalMs?: number;
}

/** An error event's words: its own for a known kind (a 404, a 409), never an internal message. */
function errorEventText(err: unknown): string {
  const e = describeErrorKind(err, classifyValidation);
  if (e.kind === 'internal') {
    console.error(err);
    return JSON.stringify({ error: 'internal error: the server could not go on with this stream (see its log)', kind: e.kind });
  }
  return JSON.stringify({ error: e.message, kind: e.kind });
}

/**
 * A server-sent-events response that polls `next` every `intervalMs` and sends what it returns
 * (undefined: nothing new). It ends when `next` says done, or when the client goes away.
 * Progress lives in the database (the worker is another process), hence polling.
 */
export function pollingEventStream<S extends z.ZodType>(req: Request, opts: EventStreamOptions<S>): Response {
  const { schema, next, intervalMs = 400 } = opts;
  const check = checkingResponses();
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const close = (): void => {
        if (closed) return;
        closed = true;
        if (timer) clearTimeout(timer);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      req.signal.addEventListener('abort', close);
      // The client may go away while a poll is in flight: nothing is sent after that (an
      // enqueue on a closed stream throws outside any handler and took the process down).
      const send = (text: string): void => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          closed = true;
        }
      };
      const tick = async (): Promise<void> => {
        if (closed) return;
        try {
          const { data, done } = await next();
          if (data !== undefined) {
            const json = JSON.stringify(data);
            if (check) checkAgainstContract(schema, json);
            send(`data: ${json}\n\n`);
          }
          else send(': keep-alive\n\n');
          if (done) {
            send('event: end\ndata: {}\n\n');
            close();
            return;
          }
        } catch (err) {
          send(`event: error\ndata: ${errorEventText(err)}\n\n`);
          close();
          return;
        }
        if (closed) return;
        timer = setTimeout(() => void tick(), intervalMs);
      };
      void tick();
    },
    cancel() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' },
  });
}
