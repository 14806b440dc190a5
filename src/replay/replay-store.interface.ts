/**
 * What {@link ReplayStore.claim} found:
 * - `claimed`: nobody had the key; the caller now holds a lease on it.
 * - `in-flight`: another request holds a lease: the same signature is being handled right now.
 * - `consumed`: a request with this signature already succeeded.
 */
export type ReplayClaimResult = 'claimed' | 'in-flight' | 'consumed';

/**
 * Where replay protection remembers signatures. Three atomic operations on one key; values and
 * expiries are the store's business. Implement it to bring another backend (a database, a
 * different Redis client): every method may be async, and must throw (or reject) when the
 * backend cannot answer, never guess.
 *
 * The module ships {@link MemoryReplayStore} (one instance) and {@link RedisReplayStore} (many).
 */
export interface ReplayStore {
  /**
   * If `key` is absent, sets it to a lease owned by `token` that expires after `leaseMs`
   * milliseconds, and answers `claimed`; otherwise says what holds it. Must be atomic: two
   * concurrent claims of one key never both answer `claimed`.
   */
  claim(key: string, token: string, leaseMs: number): Promise<ReplayClaimResult> | ReplayClaimResult;

  /** Marks `key` consumed for `ttlMs` milliseconds, replacing any lease on it. */
  consume(key: string, ttlMs: number): Promise<void> | void;

  /** Deletes `key` if, and only if, it is still the lease owned by `token` (so a retry can claim it). */
  release(key: string, token: string): Promise<void> | void;
}
