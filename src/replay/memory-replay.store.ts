import { ExpiringCache } from '../expiring.cache.js';
import { CONSUMED, type ReplayClaimResult, type ReplayStore } from './replay-store.interface.js';

/**
 * A {@link ReplayStore} in this process's memory, for an application that runs as one instance.
 * Bounded: past `maxEntries` the oldest signatures are forgotten first, so a flood of distinct
 * genuine requests can evict a remembered one and let its replay through. Size it above the
 * number of webhooks one instance receives in a tolerance window (about 6 minutes).
 * Behind a load balancer, use {@link RedisReplayStore}: instances do not share this memory.
 */
export class MemoryReplayStore implements ReplayStore {
  private readonly entries: ExpiringCache<string, string>;

  /**
   * @param maxEntries most signatures remembered at once. Default 100,000 (about 20 MB).
   * @throws TypeError when `maxEntries` is not a positive whole number.
   */
  constructor(maxEntries = 100_000) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) {
      throw new TypeError('MemoryReplayStore: maxEntries must be a positive whole number');
    }
    this.entries = new ExpiringCache(maxEntries);
  }

  claim(key: string, token: string, leaseMs: number): ReplayClaimResult {
    const held = this.entries.get(key);
    if (held === undefined) {
      this.entries.set(key, token, leaseMs);
      return 'claimed';
    }
    return held === CONSUMED ? 'consumed' : 'in-flight';
  }

  renew(key: string, token: string, leaseMs: number): void {
    if (token !== CONSUMED && this.entries.get(key) === token) {
      this.entries.set(key, token, leaseMs);
    }
  }

  consume(key: string, ttlMs: number): void {
    this.entries.set(key, CONSUMED, ttlMs);
  }

  release(key: string, token: string): void {
    if (token !== CONSUMED && this.entries.get(key) === token) {
      this.entries.delete(key);
    }
  }
}
