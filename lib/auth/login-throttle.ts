import { TooManyRequestsError } from '../errors.ts';

/**
 * Slows password guessing: after `maxFailures` wrong logins for one key (an e-mail, or a client
 * address) within `windowMs`, that key is refused with a 429 until the oldest failure ages out.
 * Kept in memory: a restart forgets it, and a guesser gains a handful of tries by it at most.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(opts: { maxFailures?: number; windowMs?: number; now?: () => number } = {}) {
    this.maxFailures = opts.maxFailures ?? 10;
    this.windowMs = opts.windowMs ?? 15 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Throws a 429 (with the seconds to wait) when any key has used up its tries. */
  check(keys: readonly string[]): void {
    for (const key of keys) {
      const kept = this.recent(key);
      if (kept.length >= this.maxFailures) {
        const wait = ((kept[0] as number) + this.windowMs - this.now()) / 1000;
        throw new TooManyRequestsError(`too many wrong logins: try again in ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''}`, wait);
      }
    }
  }

  fail(keys: readonly string[]): void {
    for (const key of keys) this.failures.set(key, [...this.recent(key), this.now()]);
    // Bounded: a flood of made-up e-mails cannot grow the map without end.
    if (this.failures.size > 100_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
