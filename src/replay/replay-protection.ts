import { randomUUID } from 'node:crypto';
import { ServiceUnavailableException, type LoggerService } from '@nestjs/common';
import { JambonzReplayException } from '../jambonz-replay.exception.js';
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
  /** Seconds a consumed signature is remembered at least; `undefined`: the route's tolerance plus the retry window. */
  readonly ttl: number | undefined;
  /** Seconds a claim holds while the handler runs. */
  readonly lease: number;
  /** Seconds a store operation may take before it counts as a failure. */
  readonly timeout: number;
  /** Let requests through (with a warning) when the store fails, instead of answering 503. */
  readonly failOpen: boolean;
}

/** A signature claimed for one request, settled once the handler has run. */
export interface ReplayClaim {
  /** The store key: hex of the verified signature. */
  readonly key: string;
  /** Identifies this claim's lease, so that only its owner releases it. */
  readonly token: string;
  /** Milliseconds the signature is remembered once consumed. */
  readonly ttlMs: number;
}

const CLAIM = Symbol.for('nestjs-jambonz-auth:replay-claim');

/**
 * Claims a verified signature before the handler runs and settles the claim after it: consumed
 * when the handler succeeded, released when it failed so that jambonz's retry (same header, same
 * body) is accepted. The guard claims; the interceptor settles.
 */
export class ReplayProtection {
  constructor(
    private readonly settings: ReplaySettings,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Claims `signature` for `request`, or refuses the request.
   *
   * Once consumed, the signature is remembered for `ttl` (default `tolerance` plus
   * {@link JAMBONZ_RETRY_WINDOW_SECONDS}) and never for less than `validFor` + 1 s: a `t` ahead
   * of this server's clock keeps the signature acceptable for up to twice the tolerance, and it
   * must not be forgotten while the timestamp check would still accept it.
   *
   * @param signature hex of the verified `v1`.
   * @param tolerance the route's tolerance, in seconds.
   * @param validFor seconds the signature stays within the tolerance from now (`t + tolerance -
   *   now`). Default `tolerance`.
   * @throws JambonzReplayException (409) when the signature was consumed or is in flight;
   *   ServiceUnavailableException (503) when the store fails and `failOpen` is off.
   */
  async claim(request: object, signature: string, tolerance: number, validFor = tolerance): Promise<void> {
    const remembered = this.settings.ttl ?? tolerance + JAMBONZ_RETRY_WINDOW_SECONDS;
    const claim: ReplayClaim = {
      key: signature,
      token: randomUUID(),
      ttlMs: Math.max(remembered, Math.ceil(validFor) + 1) * 1000,
    };
    let result;
    try {
      result = await this.withTimeout(this.settings.store.claim(claim.key, claim.token, this.settings.lease * 1000));
    } catch (error) {
      if (this.settings.failOpen) {
        this.logger.warn(
          `Replay store failed (${describe(error)}); letting the request through unchecked (replay.onStoreError is 'allow')`,
        );
        return;
      }
      this.logger.error(
        `Replay store failed (${describe(error)}); refusing the request with 503 (replay.onStoreError is 'reject')`,
      );
      throw new ServiceUnavailableException();
    }
    if (result === 'consumed') throw new JambonzReplayException('replay_detected');
    if (result === 'in-flight') throw new JambonzReplayException('replay_in_flight');
    (request as Record<symbol, ReplayClaim>)[CLAIM] = claim;
  }

  /**
   * Removes the request's claim and returns it, so that exactly one interceptor settles it even
   * when `@JambonzWebhook()` sits on both a class and its method.
   */
  take(request: object): ReplayClaim | undefined {
    const holder = request as Record<symbol, ReplayClaim | undefined>;
    const claim = holder[CLAIM];
    delete holder[CLAIM];
    return claim;
  }

  /**
   * Consumes the claim after a successful handler, or releases it after a failed one. A store
   * failure here is logged, not thrown: the handler has already run. If a consume fails, the
   * lease still blocks duplicates until it expires.
   */
  async settle(claim: ReplayClaim, succeeded: boolean): Promise<void> {
    try {
      await this.withTimeout(
        succeeded ? this.settings.store.consume(claim.key, claim.ttlMs) : this.settings.store.release(claim.key, claim.token),
      );
    } catch (error) {
      this.logger.error(`Replay store failed to ${succeeded ? 'consume' : 'release'} a signature (${describe(error)})`);
    }
  }

  private withTimeout<T>(operation: Promise<T> | T): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.settings.timeout} s`)), this.settings.timeout * 1000);
    });
    return Promise.race([Promise.resolve(operation), timeout]).finally(() => clearTimeout(timer));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
