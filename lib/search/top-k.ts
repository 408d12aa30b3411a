/**
 * The k smallest items under `compare`, in order, kept in a bounded max-heap: O(n log k) for n
 * offers, where sorting everything would be O(n log n) (match scores tens of thousands of
 * candidates for a page of 50).
 */
export class TopK<T> {
  private readonly heap: T[] = [];

  constructor(private readonly k: number, private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.heap.length;
  }

  /** The worst item kept (the k-th best so far), once k are kept. */
  worst(): T | undefined {
    return this.heap.length >= this.k ? this.heap[0] : undefined;
  }

  offer(item: T): void {
    if (this.k <= 0) return;
    const h = this.heap;
    if (h.length < this.k) {
      h.push(item);
      this.up(h.length - 1);
    } else if (this.compare(item, h[0] as T) < 0) {
      h[0] = item;
      this.down(0);
    }
  }

  /** The items kept, best first. */
  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.compare(h[i] as T, h[p] as T) <= 0) break;
      [h[i], h[p]] = [h[p] as T, h[i] as T];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.compare(h[l] as T, h[m] as T) > 0) m = l;
      if (r < h.length && this.compare(h[r] as T, h[m] as T) > 0) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m] as T, h[i] as T];
      i = m;
    }
  }
}
