/**
 * Runs `fn` until it succeeds, `attempts` times at most, pausing `pauseMs` (doubling) between
 * tries: for the bookkeeping writes that must land after a failure (a job marked failed on a
 * disk that was just full, a row behind a transient lock). Rethrows the last error.
 */
export async function retrying<T>(fn: () => Promise<T>, opts: { attempts?: number; pauseMs?: number } = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  let pause = opts.pauseMs ?? 100;
  for (let k = 1; ; k++) {
    try {
      return await fn();
    } catch (err) {
      if (k >= attempts) throw err;
      await new Promise((r) => setTimeout(r, pause));
      pause *= 2;
    }
  }
}
