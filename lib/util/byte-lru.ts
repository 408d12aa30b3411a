/**
 * A least-recently-used cache bounded by bytes: what a server keeps of corpora and tracks
 * between requests. Entries larger than the whole budget are not kept at all.
 */
export class ByteLru<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private held = 0;

  constructor(private readonly opts: { maxBytes: number; sizeOf: (value: V) => number }) {}

  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const bytes = this.opts.sizeOf(value);
    if (bytes > this.opts.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.held += bytes;
    for (const [k, e] of this.entries) {
      if (this.held <= this.opts.maxBytes) break;
      this.entries.delete(k);
      this.held -= e.bytes;
    }
  }

  delete(key: K): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.held -= e.bytes;
  }

  /** Drops every entry whose key `drop` accepts (what a rebuilt item made stale). */
  deleteWhere(drop: (key: K) => boolean): void {
    for (const key of [...this.entries.keys()]) if (drop(key)) this.delete(key);
  }

  /** The cached value, or `load()`'s, which is then kept. */
  getOrSet(key: K, load: () => V): V {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = load();
    this.set(key, value);
    return value;
  }
}

/** Bytes the corpus caches (encoded tokens, part-of-speech and feature tracks) may hold each. */
export function corpusCacheBytes(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const mb = Number(env.CELLSCOPE_CORPUS_CACHE_MB ?? '');
  return (Number.isFinite(mb) && mb > 0 ? mb : 256) * 1024 ** 2;
}
