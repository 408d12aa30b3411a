/**
 * A server-sent-events response that polls `next` every `intervalMs` and sends what it returns
 * (undefined: nothing new). It ends when `next` says done, or when the client goes away.
 * Progress lives in the database (the worker is another process), hence polling.
 */
export function pollingEventStream(
  req: Request,
  next: () => Promise<{ data?: unknown; done: boolean }>,
  intervalMs = 400,
): Response {
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
          if (data !== undefined) send(`data: ${JSON.stringify(data)}\n\n`);
          else send(': keep-alive\n\n');
          if (done) {
            send('event: end\ndata: {}\n\n');
            close();
            return;
          }
        } catch (err) {
          send(`event: error\ndata: ${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n\n`);
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
