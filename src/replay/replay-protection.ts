import { randomUUID } from 'node:crypto';
import { ServiceUnavailableException, type LoggerService } from '@nestjs/common';
import { JAMBONZ_SUCCESS_STATUSES } from '../jambonz-auth.constants.js';
import { describeError } from '../log-safe.util.js';
import { withTimeout } from '../with-timeout.util.js';
import { withDecisionReason } from '../observability/jambonz-auth-decision.factory.js';
import { JambonzReplayException } from './jambonz-replay.exception.js';
import type { ReplayStore } from './replay-store.interface.js';

/**
 * How long after `t` jambonz may deliver the same signed request again, in seconds. Its
 * feature server retries a failed webhook (up to 5 times, `#rc=1..5` in the hook URL) with the
 * same header, timestamp and body, over about 75 s.
 */
export const JAMBONZ_RETRY_WINDOW_SECONDS = 75;

/** Replay protection options, validated: every default filled in. */
export interface ReplaySettings {
  /** Where signatures are remembered. */
  readonly store: ReplayStore;
  /** Seconds a consumed signature is remembered at least; `undefined`: the largest tolerance plus the retry window. */
  readonly ttl: number | undefined;
  /** Seconds a claim holds without renewal. */
  readonly lease: number;
  /** Seconds a store operation may take before it counts as a failure. */
  readonly timeout: number;
  /** Let requests through (with a warning) when the store fails, instead of answering 503. */
  readonly failOpen: boolean;
}

/** The part of Node's `ServerResponse` that tells when and how a request ended. */
export interface ReplayResponse {
  /** The status sent (read once the response has finished). */
  readonly statusCode: number;
  /** True once the response has been fully handed to the operating system. */
  readonly writableFinished: boolean;
  /** True once the response (or its connection) is closed. */
  readonly closed?: boolean;
  /** Node's `'finish'` (sent) and `'close'` (ended, sent or not) events. */
  once(event: 'finish' | 'close', listener: () => void): unknown;
}

/**
 * Claims a verified signature before the handler runs and settles the claim when the response
 * ends: released when jambonz was answered a failure (an error, a refusal by a later guard, any
 * status but 200, 202 and 204), so that its retry of a failed delivery (same header, same body)
 * is accepted; consumed otherwise, a connection closed before the answer included (the handler
 * runs all the same: each signature runs it at most once). While the request runs, the lease is
 * renewed.
 *
 * Everything about replay lives here: the guard only hands over the verified signature, its
 * `t` and the response.
 */
export class ReplayProtection {
  private longestTolerance = 0;

  constructor(
    private readonly settings: ReplaySettings,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Makes sure a consumed signature is remembered for as long as a route with this tolerance
   * would accept its timestamp. Called at bootstrap for every route of the application, so that
   * a signature consumed on a route with a short tolerance is still refused on one with a long
   * tolerance.
   *
   * @param tolerance a route's tolerance, in seconds.
   */
  cover(tolerance: number): void {
    this.longestTolerance = Math.max(this.longestTolerance, tolerance);
  }

  /**
   * Claims `signature` for the request that `response` answers, or refuses the request.
   *
   * Once consumed, the signature is remembered for `ttl` (default: the longest tolerance plus
   * {@link JAMBONZ_RETRY_WINDOW_SECONDS}) and never for less than `t` + the longest tolerance -
   * now, + 1 s: a `t` ahead of this server's clock keeps the signature acceptable for up to twice
   * the tolerance, and it must not be forgotten while any route would still accept it.
   *
   * @param signature the verified `v1` (32 bytes).
   * @param timestamp its `t`, Unix seconds.
   * @param now the current Unix time, seconds.
   * @param response the Node response of the request (Express `res`, Fastify `reply.raw`).
   * @throws JambonzReplayException (409) when the signature was consumed or is in flight;
   *   ServiceUnavailableException (503) when the store fails and `failOpen` is off.
   */
  async claim(signature: Uint8Array, timestamp: number, now: number, response: ReplayResponse): Promise<void> {
    const key = Buffer.from(signature).toString('hex');
    const token = randomUUID();
    const tolerance = this.longestTolerance;
    const remembered = this.settings.ttl ?? tolerance + JAMBONZ_RETRY_WINDOW_SECONDS;
    const ttlMs = Math.max(remembered, Math.ceil(timestamp + tolerance - now) + 1) * 1000;
    const leaseMs = this.settings.lease * 1000;
    let result;
    try {
      result = await withTimeout(this.settings.store.claim(key, token, leaseMs), this.settings.timeout, 'replay.timeout');
    } catch (error) {
      if (this.settings.failOpen) {
        this.logger.warn(
          `Replay store failed (${describeError(error)}); letting the request through unchecked (replay.onStoreError is 'allow')`,
        );
        return;
      }
      this.logger.error(
        `Replay store failed (${describeError(error)}); refusing the request with 503 (replay.onStoreError is 'reject')`,
      );
      throw withDecisionReason(new ServiceUnavailableException(), 'replay_store_failed');
    }
    if (result === 'consumed') throw new JambonzReplayException('replay_detected');
    if (result === 'in-flight') throw new JambonzReplayException('replay_in_flight');
    this.settleWhenDone(response, key, token, ttlMs, leaseMs);
  }

  private settleWhenDone(response: ReplayResponse, key: string, token: string, ttlMs: number, leaseMs: number): void {
    const store = this.settings.store;
    let renewing = false;
    const renewal = setInterval(() => {
      // One renewal at a time: a slow store does not pile them up.
      if (renewing) return;
      renewing = true;
      void this.run('renew', () => store.renew(key, token, leaseMs)).finally(() => (renewing = false));
    }, leaseMs / 3);
    renewal.unref();
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearInterval(renewal);
      // Released only when jambonz was told the delivery failed, so that its retry runs. A
      // connection gone before the answer does not stop the handler: releasing then would let a
      // copy run it again while it still runs, so the signature counts as used.
      const failed = response.writableFinished && !JAMBONZ_SUCCESS_STATUSES.includes(response.statusCode);
      if (failed) {
        void this.run('release', () => store.release(key, token));
      } else {
        void this.run('consume', () => store.consume(key, ttlMs));
      }
    };
    if (response.writableFinished || response.closed) {
      settle(); // the connection closed while the claim was being made
      return;
    }
    response.once('finish', settle);
    response.once('close', settle);
  }

  /** Runs a store operation after the response: a failure is logged, never thrown (nobody waits for it). */
  private async run(what: string, operation: () => Promise<void> | void): Promise<void> {
    try {
      await withTimeout(operation(), this.settings.timeout, 'replay.timeout');
    } catch (error) {
      this.logger.error(`Replay store failed to ${what} a signature (${describeError(error)})`);
    }
  }
}
