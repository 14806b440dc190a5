/**
 * A map whose entries expire, holding at most `maxEntries`: past that, the oldest entries are
 * dropped first. Entries keep their insertion order (a `Map`'s), so "oldest" is "set longest
 * ago", which is cheap to find and, for entries of one lifetime (resolver answers, reported
 * accounts), the one closest to expiry. Where lifetimes differ (the memory replay store holds
 * 30 s leases and signatures remembered for minutes), a flood of new entries evicts older,
 * longer-lived ones first: `MemoryReplayStore` documents what that means. Expired entries are
 * dropped when read and, from the front, whenever something is set, so memory never grows past
 * `maxEntries`.
 */
export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly expiresAt: number }>();

  /**
   * @param maxEntries most entries held at once (a positive whole number).
   * @param now the clock, in milliseconds. Default `Date.now`.
   */
  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value of a live entry, or `undefined`. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Sets `key` to `value` for `ttlMs` milliseconds, as the newest entry. */
  set(key: K, value: V, ttlMs: number): void {
    const now = this.now();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + ttlMs });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && entry.expiresAt > now) break;
      this.entries.delete(oldest);
    }
  }

  /** Removes `key`. */
  delete(key: K): void {
    this.entries.delete(key);
  }
}
