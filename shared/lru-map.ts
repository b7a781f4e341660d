/**
 * A Map that keeps its most recently used entries within a budget: each entry's size is `sizeOf(value)` (default 1,
 * so the budget is a count of entries), and once the sizes pass `maxSize` the least recently used go first (a Map
 * iterates in insertion order, and a read or write moves its entry to the end). An entry larger than the whole budget
 * is not kept. For in-process caches keyed by content hash, whose entries never go stale.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();
  private total = 0;

  constructor(
    private readonly maxSize: number,
    private readonly sizeOf: (value: V) => number = () => 1,
  ) {}

  /** Entries kept. */
  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  delete(key: K): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.total -= this.sizeOf(value);
  }

  set(key: K, value: V): void {
    this.delete(key);
    const size = this.sizeOf(value);
    if (size > this.maxSize) return;
    this.entries.set(key, value);
    this.total += size;
    for (const [oldest, kept] of this.entries) {
      if (this.total <= this.maxSize) break;
      this.entries.delete(oldest);
      this.total -= this.sizeOf(kept);
    }
  }
}
