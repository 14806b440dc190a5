import { jest } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import { CapturedLogs } from '../../test/support/captured-logs.js';
import { JAMBONZ_REPLAY_MESSAGE, JambonzReplayException } from '../jambonz-replay.exception.js';
import { MemoryReplayStore } from './memory-replay.store.js';
import { JAMBONZ_RETRY_WINDOW_SECONDS, ReplayProtection, type ReplaySettings } from './replay-protection.js';
import type { ReplayClaimResult, ReplayStore } from './replay-store.interface.js';

const SIGNATURE = 'a'.repeat(63) + 'b';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A store that records every call and answers `claim` with `answer`. */
function recordingStore(answer: ReplayClaimResult | (() => never) = 'claimed') {
  const calls: unknown[][] = [];
  const store: ReplayStore = {
    claim: (...args) => {
      calls.push(['claim', ...args]);
      return typeof answer === 'function' ? answer() : answer;
    },
    consume: (...args) => void calls.push(['consume', ...args]),
    release: (...args) => void calls.push(['release', ...args]),
  };
  return { store, calls };
}

function protection(store: ReplayStore, settings: Partial<ReplaySettings> = {}) {
  const logger = new CapturedLogs();
  const replay = new ReplayProtection({ store, ttl: undefined, lease: 30, timeout: 1, failOpen: false, ...settings }, logger);
  return { replay, logger };
}

const failing = (error: unknown): ReplayStore => ({
  claim: () => Promise.reject(error),
  consume: () => Promise.reject(error),
  release: () => Promise.reject(error),
});

describe('ReplayProtection', () => {
  describe('how long a consumed signature is remembered', () => {
    async function ttlMsOf(settings: Partial<ReplaySettings>, tolerance: number, validFor?: number) {
      const { replay } = protection(recordingStore().store, settings);
      const request = {};
      await replay.claim(request, SIGNATURE, tolerance, validFor);
      return replay.take(request)!.ttlMs;
    }

    it("defaults to the tolerance plus jambonz's 75 s retry window", async () => {
      expect(JAMBONZ_RETRY_WINDOW_SECONDS).toBe(75);
      expect(await ttlMsOf({}, 300)).toBe(375_000);
      expect(await ttlMsOf({}, 60, 60)).toBe(135_000);
    });

    it('stays until the timestamp check would refuse the signature, when the sender runs ahead', async () => {
      // t is 200 s ahead of this server: acceptable for 500 s more, beyond the 375 s default.
      expect(await ttlMsOf({}, 300, 500)).toBe(501_000);
      expect(await ttlMsOf({}, 300, 499.2)).toBe(501_000);
    });

    it('never lets a short ttl forget a signature the timestamp check still accepts', async () => {
      expect(await ttlMsOf({ ttl: 10 }, 300, 300)).toBe(301_000);
      expect(await ttlMsOf({ ttl: 900 }, 300, 300)).toBe(900_000);
    });
  });

  describe('claim', () => {
    it('claims the signature with a fresh token and the lease, and leaves the claim on the request', async () => {
      const { store, calls } = recordingStore();
      const { replay, logger } = protection(store, { lease: 12 });
      const request = {};
      await replay.claim(request, SIGNATURE, 300);
      expect(calls).toEqual([['claim', SIGNATURE, expect.stringMatching(UUID), 12_000]]);
      const claim = replay.take(request);
      expect(claim).toEqual({ key: SIGNATURE, token: calls[0]![2], ttlMs: 375_000 });
      expect(logger.entries).toEqual([]);
    });

    it("keeps the claim where another copy of the package finds it (Symbol.for('nestjs-jambonz-auth:replay-claim'))", async () => {
      const { replay } = protection(recordingStore().store);
      const request: Record<symbol, unknown> = {};
      await replay.claim(request, SIGNATURE, 300);
      expect(request[Symbol.for('nestjs-jambonz-auth:replay-claim')]).toMatchObject({ key: SIGNATURE });
    });

    it('uses a new token for every claim', async () => {
      const { store, calls } = recordingStore();
      const { replay } = protection(store);
      await replay.claim({}, SIGNATURE, 300);
      await replay.claim({}, SIGNATURE, 300);
      expect(calls[0]![2]).not.toBe(calls[1]![2]);
    });

    it.each<[ReplayClaimResult, string]>([
      ['consumed', 'replay_detected'],
      ['in-flight', 'replay_in_flight'],
    ])('refuses a signature the store finds %s with 409 (%s), claiming nothing', async (answer, reason) => {
      const { replay } = protection(recordingStore(answer).store);
      const request = {};
      const error = await replay.claim(request, SIGNATURE, 300).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JambonzReplayException);
      expect(error).toMatchObject({ reason, message: JAMBONZ_REPLAY_MESSAGE });
      expect((error as JambonzReplayException).getStatus()).toBe(409);
      expect(replay.take(request)).toBeUndefined();
    });

    it.each<[string, ReplayStore, string]>([
      ['rejects', failing(new Error('connection reset')), 'connection reset'],
      ['rejects with a non-Error', failing('NOSCRIPT'), 'NOSCRIPT'],
      [
        'throws',
        recordingStore(() => {
          throw new Error('not connected');
        }).store,
        'not connected',
      ],
    ])('answers 503 and logs an error when the store %s', async (_case, store, why) => {
      const { replay, logger } = protection(store);
      const request = {};
      await expect(replay.claim(request, SIGNATURE, 300)).rejects.toBeInstanceOf(ServiceUnavailableException);
      expect(replay.take(request)).toBeUndefined();
      expect(logger.entries).toEqual([
        {
          level: 'error',
          message: `Replay store failed (${why}); refusing the request with 503 (replay.onStoreError is 'reject')`,
        },
      ]);
    });

    it('lets the request through unchecked, with a warning, when failing open', async () => {
      const { replay, logger } = protection(failing(new Error('connection reset')), { failOpen: true });
      const request = {};
      await expect(replay.claim(request, SIGNATURE, 300)).resolves.toBeUndefined();
      expect(replay.take(request)).toBeUndefined();
      expect(logger.entries).toEqual([
        {
          level: 'warn',
          message:
            "Replay store failed (connection reset); letting the request through unchecked (replay.onStoreError is 'allow')",
        },
      ]);
    });
  });

  describe('timeouts', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** A store whose claim answers after `ms` milliseconds. */
    const slowStore = (ms: number): ReplayStore => ({
      claim: () => new Promise((resolve) => setTimeout(() => resolve('claimed'), ms)),
      consume: () => new Promise((resolve) => setTimeout(resolve, ms)),
      release: () => new Promise((resolve) => setTimeout(resolve, ms)),
    });

    it('waits up to the timeout for an answer, and leaves no timer behind', async () => {
      const { replay } = protection(slowStore(1900), { timeout: 2 });
      const request = {};
      const claimed = replay.claim(request, SIGNATURE, 300);
      await jest.advanceTimersByTimeAsync(1900);
      await expect(claimed).resolves.toBeUndefined();
      expect(replay.take(request)).toMatchObject({ key: SIGNATURE });
      expect(jest.getTimerCount()).toBe(0);
    });

    it('counts a store that does not answer within the timeout as failed', async () => {
      const { replay, logger } = protection(slowStore(2100), { timeout: 2 });
      const claimed = replay.claim({}, SIGNATURE, 300);
      const outcome = claimed.catch((e: unknown) => e);
      await jest.advanceTimersByTimeAsync(2000);
      expect(await outcome).toBeInstanceOf(ServiceUnavailableException);
      expect(logger.entries[0]?.message).toBe(
        "Replay store failed (no answer within 2 s); refusing the request with 503 (replay.onStoreError is 'reject')",
      );
      await jest.advanceTimersByTimeAsync(100);
    });

    it('logs a consume that does not answer within the timeout', async () => {
      const { replay, logger } = protection(slowStore(5000), { timeout: 0.5 });
      const settled = replay.settle({ key: SIGNATURE, token: 't', ttlMs: 1000 }, true);
      await jest.advanceTimersByTimeAsync(500);
      await expect(settled).resolves.toBeUndefined();
      expect(logger.entries).toEqual([
        { level: 'error', message: 'Replay store failed to consume a signature (no answer within 0.5 s)' },
      ]);
      await jest.advanceTimersByTimeAsync(4500);
    });
  });

  describe('take', () => {
    it('hands the claim over once', async () => {
      const { replay } = protection(recordingStore().store);
      const request = {};
      await replay.claim(request, SIGNATURE, 300);
      expect(replay.take(request)).toBeDefined();
      expect(replay.take(request)).toBeUndefined();
      expect(Object.getOwnPropertySymbols(request)).toEqual([]);
    });

    it('finds nothing on a request that claimed nothing', () => {
      expect(protection(recordingStore().store).replay.take({})).toBeUndefined();
    });
  });

  describe('settle', () => {
    const claim = { key: SIGNATURE, token: 'the-token', ttlMs: 375_000 };

    it('consumes the signature after a handler that succeeded', async () => {
      const { store, calls } = recordingStore();
      await protection(store).replay.settle(claim, true);
      expect(calls).toEqual([['consume', SIGNATURE, 375_000]]);
    });

    it("releases its own lease after a handler that failed, so that jambonz's retry is accepted", async () => {
      const { store, calls } = recordingStore();
      await protection(store).replay.settle(claim, false);
      expect(calls).toEqual([['release', SIGNATURE, 'the-token']]);
    });

    it.each<[boolean, string]>([
      [true, 'consume'],
      [false, 'release'],
    ])('logs, and does not throw, when the store fails (succeeded: %p)', async (succeeded, operation) => {
      const { replay, logger } = protection(failing(new Error('connection reset')));
      await expect(replay.settle(claim, succeeded)).resolves.toBeUndefined();
      expect(logger.entries).toEqual([
        { level: 'error', message: `Replay store failed to ${operation} a signature (connection reset)` },
      ]);
    });

    it('works end to end with the memory store: consumed after success, free again after failure', async () => {
      const store = new MemoryReplayStore();
      const { replay } = protection(store);
      const first = {};
      await replay.claim(first, SIGNATURE, 300);
      await replay.settle(replay.take(first)!, false);
      const retry = {};
      await replay.claim(retry, SIGNATURE, 300);
      await replay.settle(replay.take(retry)!, true);
      await expect(replay.claim({}, SIGNATURE, 300)).rejects.toMatchObject({ reason: 'replay_detected' });
    });
  });
});
