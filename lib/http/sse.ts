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
      const tick = async (): Promise<void> => {
        if (closed) return;
        try {
          const { data, done } = await next();
          if (data !== undefined) controller.enqueue(encoder.encode(`data: ${JSON.stringify(data)}\n\n`));
          else controller.enqueue(encoder.encode(': keep-alive\n\n'));
          if (done) {
            controller.enqueue(encoder.encode('event: end\ndata: {}\n\n'));
            close();
            return;
          }
        } catch (err) {
          controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n\n`));
          close();
          return;
        }
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
