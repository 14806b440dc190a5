/**
 * What {@link ReplayStore.claim} found:
 * - `claimed`: nobody had the key; the caller now holds a lease on it.
 * - `in-flight`: another request holds a lease: the same signature is being handled right now.
 * - `consumed`: a request with this signature already succeeded.
 */
export type ReplayClaimResult = 'claimed' | 'in-flight' | 'consumed';

/**
 * The value a store keeps for a consumed key. A lease's value is its owner's token, a random
 * UUID, which can never equal it; the stores of this package share it so that a key means the
 * same thing in any of them.
 */
export const CONSUMED = 'consumed';

/**
 * Where replay protection remembers signatures. Four atomic operations on one key; values and
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

  /**
   * If `key` is still the lease owned by `token`, makes it expire `leaseMs` milliseconds from
   * now, so that a request still running keeps its claim. Otherwise does nothing.
   */
  renew(key: string, token: string, leaseMs: number): Promise<void> | void;

  /** Marks `key` consumed for `ttlMs` milliseconds, replacing any lease on it. */
  consume(key: string, ttlMs: number): Promise<void> | void;

  /** Deletes `key` if, and only if, it is still the lease owned by `token` (so a retry can claim it). */
  release(key: string, token: string): Promise<void> | void;
}
