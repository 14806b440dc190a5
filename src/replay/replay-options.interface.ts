import type { ReplayStore } from './replay-store.interface.js';

/**
 * Replay protection: refuse a second delivery of a signed request that already succeeded, across
 * every instance that shares the store. Off unless set. Applies to signature-verified requests
 * (a Basic-only request has nothing unique to remember), so a protected route must require the
 * signature: `require: 'either'` or `'basic'` with replay on stops the app at bootstrap
 * (`JambonzAuthConfigError`), since a copied request would pass on its Basic credentials alone.
 * GET hooks, which carry no body to sign, stay Basic-only and unprotected.
 *
 * Per request: one store round trip before the handler (an atomic claim with a lease, renewed
 * while the request runs) and one when the response ends: released when jambonz was answered a
 * failure (any status but 200, 202 and 204), so that its retry of a failed delivery, with the same
 * header and body, is accepted; consumed otherwise, a connection closed before the answer
 * included, since the handler runs all the same (each signature runs it at most once).
 */
export interface JambonzReplayOptions {
  /** Where signatures are remembered: `MemoryReplayStore` (one instance) or `RedisReplayStore` (many). */
  store: ReplayStore;
  /**
   * Seconds a consumed signature is remembered at least. Default: the largest tolerance of any
   * route plus jambonz's retry window (75 s, `JAMBONZ_RETRY_WINDOW_SECONDS`). Whatever is set,
   * a signature is kept for as long as any route of the app would still accept its timestamp
   * (`t` + the largest tolerance, later than that when the sender's clock runs ahead), so a short
   * `ttl` never reopens a replay.
   */
  ttl?: number;
  /**
   * Seconds a claim holds without news from its request. Default 30. The lease is renewed every
   * third of it while the request runs, so a slow handler keeps its claim; a duplicate that
   * arrives meanwhile gets 409. If the instance dies mid-request, the signature is free again
   * after at most one lease.
   */
  lease?: number;
  /**
   * Seconds a store operation may take before it counts as failed. Default 1. At most half the
   * `lease`, so that a renewal lands before the lease lapses.
   */
  timeout?: number;
  /**
   * When the store fails or times out: `'reject'` (default) answers 503 and logs an error;
   * `'allow'` lets the request through unchecked and logs a warning.
   */
  onStoreError?: 'reject' | 'allow';
}
