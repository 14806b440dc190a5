import { LRUCache } from 'lru-cache';
import type { ReplayClaimResult, ReplayStore } from './replay-store.interface.js';

/** Value of a consumed key; a lease's value is its owner's token. */
const CONSUMED = '\u0000consumed';

/**
 * A {@link ReplayStore} in this process's memory, for an application that runs as one instance.
 * Bounded: past `maxEntries` the least recently used signatures are forgotten first, so a flood
 * of distinct genuine requests can evict a remembered one and let its replay through. Size it
 * above the number of webhooks one instance receives in a tolerance window (about 6 minutes).
 * Behind a load balancer, use {@link RedisReplayStore}: instances do not share this memory.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly entries: LRUCache<string, string>;

  /**
   * @param maxEntries most signatures remembered at once. Default 100,000 (about 20 MB).
   * @throws TypeError when `maxEntries` is not a positive whole number.
   */
  constructor(maxEntries = 100_000) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) {
      throw new TypeError('MemoryReplayStore: maxEntries must be a positive whole number');
    }
    this.entries = new LRUCache<string, string>({ max: maxEntries });
  }

  claim(key: string, token: string, leaseMs: number): ReplayClaimResult {
    const held = this.entries.get(key);
    if (held === undefined) {
      this.entries.set(key, token, { ttl: leaseMs });
      return 'claimed';
    }
    return held === CONSUMED ? 'consumed' : 'in-flight';
  }

  consume(key: string, ttlMs: number): void {
    this.entries.set(key, CONSUMED, { ttl: ttlMs });
  }

  release(key: string, token: string): void {
    if (this.entries.get(key) === token) {
      this.entries.delete(key);
    }
  }
}
