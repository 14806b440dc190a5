import { EventEmitter } from 'node:events';
import {
  createServer,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { ServiceUnavailableException } from '@nestjs/common';
import { CapturedLogs } from '../../test/support/captured-logs.js';
import { DECISION_REASON } from '../observability/jambonz-auth-decision.factory.js';
import { JAMBONZ_REPLAY_MESSAGE, JambonzReplayException } from './jambonz-replay.exception.js';
import { MemoryReplayStore } from './memory-replay.store.js';
import { JAMBONZ_RETRY_WINDOW_SECONDS, ReplayProtection, type ReplayResponse, type ReplaySettings } from './replay-protection.js';
import type { ReplayClaimResult, ReplayStore } from './replay-store.interface.js';

const SIGNATURE = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
const KEY = Buffer.from(SIGNATURE).toString('hex');
const NOW = 1_715_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * A response with the fields of Node's `ServerResponse` that replay protection reads: it ends
 * the way Node's does (`writableFinished` is set before 'finish' is emitted; 'close' follows).
 */
class FakeResponse extends EventEmitter implements ReplayResponse {
  statusCode = 200;
  writableFinished = false;
  closed = false;

  /** The response was sent in full with `status`. */
  finish(status: number): void {
    this.statusCode = status;
    this.writableFinished = true;
    this.emit('finish');
    this.close();
  }

  /** The connection closed (after the response, or before it was sent: the client went away). */
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

/** A store that records every call; `claim` answers what `answer` gives. */
function recordingStore(answer: () => ReturnType<ReplayStore['claim']> = () => 'claimed', others?: () => Promise<void> | void) {
  const calls: unknown[][] = [];
  const store: ReplayStore = {
    claim: (...args) => {
      calls.push(['claim', ...args]);
      return answer();
    },
    renew: (...args) => {
      calls.push(['renew', ...args]);
      return others?.();
    },
    consume: (...args) => {
      calls.push(['consume', ...args]);
      return others?.();
    },
    release: (...args) => {
      calls.push(['release', ...args]);
      return others?.();
    },
  };
  return { store, calls };
}

/** Replay protection over `store`, covering `tolerance` (`null`: none yet). */
function protection(store: ReplayStore, settings: Partial<ReplaySettings> = {}, tolerance: number | null = 300) {
  const logger = new CapturedLogs();
  const replay = new ReplayProtection({ store, ttl: undefined, lease: 30, timeout: 1, failOpen: false, ...settings }, logger);
  if (tolerance !== null) replay.cover(tolerance);
  return { replay, logger };
}

/** Claims SIGNATURE with `t` = `timestamp` at `now` on a fresh response, and ends the response with 200. */
async function consumedTtlMs(replay: ReplayProtection, calls: unknown[][], timestamp = NOW, now = NOW): Promise<number> {
  const response = new FakeResponse();
  await replay.claim(SIGNATURE, timestamp, now, response);
  response.finish(200);
  const consume = calls.find(([name]) => name === 'consume');
  return consume![2] as number;
}

describe('ReplayProtection', () => {
  it("knows jambonz's retry window", () => {
    expect(JAMBONZ_RETRY_WINDOW_SECONDS).toBe(75);
  });

  describe('how long a consumed signature is remembered', () => {
    it('the longest tolerance covered plus the 75 s retry window, by default', async () => {
      const { store, calls } = recordingStore();
      const { replay } = protection(store, {}, null);
      replay.cover(60);
      expect(await consumedTtlMs(replay, calls)).toBe(135_000);
      replay.cover(600);
      replay.cover(300);
      calls.length = 0;
      expect(await consumedTtlMs(replay, calls)).toBe(675_000);
    });

    it('the retry window alone, plus the signature lifetime, before any tolerance is covered', async () => {
      const { store, calls } = recordingStore();
      const { replay } = protection(store, {}, null);
      expect(await consumedTtlMs(replay, calls)).toBe(75_000);
    });

    it('until no route would accept the timestamp any more, when the sender runs ahead', async () => {
      // t is 200 s ahead of this server: acceptable for 500 s more, beyond the 375 s default.
      const { store, calls } = recordingStore();
      const { replay } = protection(store);
      expect(await consumedTtlMs(replay, calls, NOW + 200, NOW)).toBe(501_000);
      calls.length = 0;
      expect(await consumedTtlMs(replay, calls, NOW + 200, NOW + 0.8)).toBe(501_000);
      calls.length = 0;
      expect(await consumedTtlMs(replay, calls, NOW + 200, NOW + 1)).toBe(500_000);
    });

    it('never lets a short ttl forget a signature the timestamp check still accepts', async () => {
      const short = recordingStore();
      expect(await consumedTtlMs(protection(short.store, { ttl: 10 }).replay, short.calls)).toBe(301_000);
      const long = recordingStore();
      expect(await consumedTtlMs(protection(long.store, { ttl: 900 }).replay, long.calls)).toBe(900_000);
      const behind = recordingStore();
      expect(await consumedTtlMs(protection(behind.store, { ttl: 10 }).replay, behind.calls, NOW - 100, NOW)).toBe(201_000);
    });
  });

  describe('claim', () => {
    it('claims the hex of the signature with a fresh token and the lease in milliseconds, then consumes it after a 200', async () => {
      const { store, calls } = recordingStore();
      const { replay, logger } = protection(store, { lease: 12 });
      const response = new FakeResponse();
      await expect(replay.claim(SIGNATURE, NOW, NOW, response)).resolves.toBeUndefined();
      expect(calls).toEqual([['claim', KEY, expect.stringMatching(UUID), 12_000]]);
      response.finish(200);
      expect(calls.slice(1)).toEqual([['consume', KEY, 375_000]]);
      expect(logger.entries).toEqual([]);
    });

    it('uses a new token for every claim', async () => {
      const { store, calls } = recordingStore();
      const { replay } = protection(store);
      await replay.claim(SIGNATURE, NOW, NOW, new FakeResponse());
      await replay.claim(SIGNATURE, NOW, NOW, new FakeResponse());
      expect(calls[0]![2]).not.toBe(calls[1]![2]);
    });

    it.each<[ReplayClaimResult, string]>([
      ['consumed', 'replay_detected'],
      ['in-flight', 'replay_in_flight'],
    ])('refuses a signature the store finds %s with 409 (%s), and settles nothing', async (answer, reason) => {
      const { store, calls } = recordingStore(() => answer);
      const { replay, logger } = protection(store);
      const response = new FakeResponse();
      const error = await replay.claim(SIGNATURE, NOW, NOW, response).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(JambonzReplayException);
      expect(error).toMatchObject({ reason, message: JAMBONZ_REPLAY_MESSAGE });
      expect((error as JambonzReplayException).getStatus()).toBe(409);
      expect(response.listenerCount('finish') + response.listenerCount('close')).toBe(0);
      response.finish(200);
      expect(calls.map(([name]) => name)).toEqual(['claim']);
      expect(logger.entries).toEqual([]);
    });

    it('accepts a store that answers with a promise', async () => {
      const { store, calls } = recordingStore(() => Promise.resolve('claimed'));
      const response = new FakeResponse();
      await protection(store).replay.claim(SIGNATURE, NOW, NOW, response);
      response.finish(204);
      expect(calls.map(([name]) => name)).toEqual(['claim', 'consume']);
    });
  });

  describe('settles the claim when the response ends', () => {
    it.each([200, 202, 204])(
      'consumes it once the response finished with %p, even when the connection closes after',
      async (status) => {
        const { store, calls } = recordingStore();
        const response = new FakeResponse();
        await protection(store).replay.claim(SIGNATURE, NOW, NOW, response);
        response.finish(status);
        response.close();
        expect(calls.slice(1)).toEqual([['consume', KEY, 375_000]]);
      },
    );

    it.each([201, 400, 401, 409, 500, 503])(
      "releases its own lease when the response finished with %p, so that jambonz's retry is accepted",
      async (status) => {
        const { store, calls } = recordingStore();
        const response = new FakeResponse();
        await protection(store).replay.claim(SIGNATURE, NOW, NOW, response);
        const token = calls[0]![2];
        response.finish(status);
        expect(calls.slice(1)).toEqual([['release', KEY, token]]);
      },
    );

    // The handler runs on after the connection went away: releasing the signature then would let
    // a copy of the request run it a second time, so a delivery cut short counts as used.
    it.each([200, 500])(
      'consumes it when the connection closes before the response finished, whatever the status reads (%p)',
      async (status) => {
        const { store, calls } = recordingStore();
        const response = new FakeResponse();
        await protection(store).replay.claim(SIGNATURE, NOW, NOW, response);
        response.statusCode = status;
        response.close();
        expect(calls.slice(1)).toEqual([['consume', KEY, 375_000]]);
        response.finish(status);
        expect(calls.slice(1)).toEqual([['consume', KEY, 375_000]]);
        expect(response.listenerCount('finish') + response.listenerCount('close')).toBe(0);
      },
    );

    it('refuses a copy sent after the first delivery was cut short, with the memory store', async () => {
      const { replay } = protection(new MemoryReplayStore());
      const cut = new FakeResponse();
      await replay.claim(SIGNATURE, NOW, NOW, cut);
      cut.close();
      await expect(replay.claim(SIGNATURE, NOW, NOW, new FakeResponse())).rejects.toMatchObject({ reason: 'replay_detected' });
    });

    it('does nothing before the response ends', async () => {
      const { store, calls } = recordingStore();
      const response = new FakeResponse();
      await protection(store).replay.claim(SIGNATURE, NOW, NOW, response);
      expect(calls).toHaveLength(1);
      expect(response.listenerCount('finish')).toBe(1);
      expect(response.listenerCount('close')).toBe(1);
    });

    it.each<[string, (response: FakeResponse) => void, 'consume' | 'release']>([
      ['consumes at once when the response already finished with 200', (response) => response.finish(200), 'consume'],
      ['consumes at once when the connection closed', (response) => response.close(), 'consume'],
      ['releases at once when the response already finished with a failure', (response) => response.finish(503), 'release'],
    ])('%s while the claim was made', async (_case, end, settled) => {
      const { store, calls } = recordingStore(() => Promise.resolve('claimed'));
      const response = new FakeResponse();
      const claimed = protection(store).replay.claim(SIGNATURE, NOW, NOW, response);
      end(response);
      await claimed;
      expect(calls.slice(1)).toEqual([settled === 'consume' ? ['consume', KEY, 375_000] : ['release', KEY, calls[0]![2]]]);
      expect(response.listenerCount('finish') + response.listenerCount('close')).toBe(0);
    });

    it.each<[string, () => Promise<void> | void, string]>([
      ['rejects', () => Promise.reject(new Error('connection reset')), 'connection reset'],
      ['rejects with a non-Error', () => Promise.reject('NOSCRIPT'), 'NOSCRIPT'],
      ['rejects with a TypeError', () => Promise.reject(new TypeError('x is not a function')), 'TypeError: x is not a function'],
      ['rejects with an object', () => Promise.reject({ toString: () => 'forged' }), '[object Object]'],
      [
        'throws',
        () => {
          throw new Error('not connected');
        },
        'not connected',
      ],
      [
        'rejects with a message holding a line break',
        () => Promise.reject(new Error('reset\r\nforged')),
        'reset\\u000d\\u000aforged',
      ],
    ])('logs, and does not throw, when the store %s on settling', async (_case, fail, why) => {
      for (const [status, operation] of [
        [200, 'consume'],
        [500, 'release'],
      ] as const) {
        const { store } = recordingStore(() => 'claimed', fail);
        const { replay, logger } = protection(store);
        const response = new FakeResponse();
        await replay.claim(SIGNATURE, NOW, NOW, response);
        expect(() => response.finish(status)).not.toThrow();
        await new Promise((resolve) => setImmediate(resolve));
        expect(logger.entries).toEqual([{ level: 'error', message: `Replay store failed to ${operation} a signature (${why})` }]);
      }
    });

    it('works with the memory store: free again after a failure, refused as consumed after a success', async () => {
      const { replay } = protection(new MemoryReplayStore());
      const first = new FakeResponse();
      await replay.claim(SIGNATURE, NOW, NOW, first);
      await expect(replay.claim(SIGNATURE, NOW, NOW, new FakeResponse())).rejects.toMatchObject({ reason: 'replay_in_flight' });
      first.finish(500);
      const retry = new FakeResponse();
      await replay.claim(SIGNATURE, NOW, NOW, retry);
      retry.finish(200);
      await expect(replay.claim(SIGNATURE, NOW, NOW, new FakeResponse())).rejects.toMatchObject({ reason: 'replay_detected' });
    });
  });

  describe('a real Node response', () => {
    let server: Server;
    let port: number;
    let handle: (request: IncomingMessage, response: ServerResponse) => void;

    beforeAll(async () => {
      server = createServer((request, response) => handle(request, response));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    /**
     * Sends one request whose handler claims SIGNATURE, then answers with `respond` (which may
     * drop the client instead); resolves with the store's calls once it has settled.
     */
    async function exchange(respond: (response: ServerResponse, client: ClientRequest) => void) {
      const { store, calls } = recordingStore();
      const { replay } = protection(store);
      const settled = new Promise<void>((resolve) => {
        store.consume = (...args) => void (calls.push(['consume', ...args]), resolve());
        store.release = (...args) => void (calls.push(['release', ...args]), resolve());
      });
      const client = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/hook' });
      handle = (_request, response) => {
        void replay.claim(SIGNATURE, NOW, NOW, response).then(() => respond(response, client));
      };
      client.on('error', () => undefined);
      client.on('response', (response) => response.resume());
      client.end();
      await settled;
      return calls.map(([name]) => name);
    }

    it('consumes after a 200 was sent', async () => {
      expect(await exchange((response) => response.end('[]'))).toEqual(['claim', 'consume']);
    });

    it('releases after a 500 was sent', async () => {
      expect(
        await exchange((response) => {
          response.statusCode = 500;
          response.end();
        }),
      ).toEqual(['claim', 'release']);
    });

    it('consumes when the client goes away before the answer', async () => {
      expect(await exchange((_response, client) => client.destroy())).toEqual(['claim', 'consume']);
    });
  });

  describe('renewal', () => {
    beforeEach(() => jest.useFakeTimers({ now: NOW * 1000 }));
    afterEach(() => jest.useRealTimers());

    it('renews the lease every third of it until the response ends, then stops', async () => {
      const { store, calls } = recordingStore();
      const { replay } = protection(store, { lease: 3 });
      const response = new FakeResponse();
      await replay.claim(SIGNATURE, NOW, NOW, response);
      const token = calls[0]![2];
      await jest.advanceTimersByTimeAsync(999);
      expect(calls).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(calls.slice(1)).toEqual([['renew', KEY, token, 3000]]);
      await jest.advanceTimersByTimeAsync(2000);
      expect(calls.slice(1)).toEqual([
        ['renew', KEY, token, 3000],
        ['renew', KEY, token, 3000],
        ['renew', KEY, token, 3000],
      ]);
      response.finish(200);
      expect(jest.getTimerCount()).toBe(1); // the consume's own timeout
      await jest.advanceTimersByTimeAsync(10_000);
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew', 'renew', 'renew', 'consume']);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('stops renewing when the connection closes early too, consuming the signature', async () => {
      const { store, calls } = recordingStore();
      const response = new FakeResponse();
      await protection(store, { lease: 30 }).replay.claim(SIGNATURE, NOW, NOW, response);
      await jest.advanceTimersByTimeAsync(10_000);
      response.close();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew', 'consume']);
      expect(jest.getTimerCount()).toBe(0);
    });

    it('runs one renewal at a time: a slow store does not pile them up', async () => {
      const { store, calls } = recordingStore(
        () => 'claimed',
        () => new Promise<void>((resolve) => setTimeout(resolve, 2500)),
      );
      const { replay, logger } = protection(store, { lease: 3, timeout: 10 });
      const response = new FakeResponse();
      await replay.claim(SIGNATURE, NOW, NOW, response);
      await jest.advanceTimersByTimeAsync(1000); // the first renewal starts, and takes 2.5 s
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew']);
      await jest.advanceTimersByTimeAsync(2999); // 3.999 s: the ticks at 2 s and 3 s found it running
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew']);
      await jest.advanceTimersByTimeAsync(1); // 4 s: it ended at 3.5 s, the next one starts
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew', 'renew']);
      response.finish(200);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew', 'renew', 'consume']);
      expect(logger.entries).toEqual([]);
    });

    it('starts the next renewal once one that does not answer has timed out', async () => {
      const { store, calls } = recordingStore(
        () => 'claimed',
        () => new Promise<void>(() => undefined),
      );
      const { replay, logger } = protection(store, { lease: 3, timeout: 1.5 });
      const response = new FakeResponse();
      await replay.claim(SIGNATURE, NOW, NOW, response);
      await jest.advanceTimersByTimeAsync(2999); // renewal at 1 s, times out at 2.5 s; the tick at 2 s skipped
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew']);
      expect(logger.entries).toEqual([
        { level: 'error', message: 'Replay store failed to renew a signature (no answer within 1.5 s (replay.timeout))' },
      ]);
      await jest.advanceTimersByTimeAsync(1);
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew', 'renew']);
      response.finish(500);
      await jest.advanceTimersByTimeAsync(10_000);
    });

    it('keeps a slow request its claim in the memory store, past the lease', async () => {
      const { replay } = protection(new MemoryReplayStore(), { lease: 3 });
      const slow = new FakeResponse();
      await replay.claim(SIGNATURE, NOW, NOW, slow);
      await jest.advanceTimersByTimeAsync(10_000);
      await expect(replay.claim(SIGNATURE, NOW, NOW + 10, new FakeResponse())).rejects.toMatchObject({
        reason: 'replay_in_flight',
      });
      slow.finish(500);
      await replay.claim(SIGNATURE, NOW, NOW + 10, new FakeResponse());
    });

    it('logs a renewal that fails, and goes on renewing', async () => {
      const { store, calls } = recordingStore(
        () => 'claimed',
        () => Promise.reject(new Error('connection reset')),
      );
      const { replay, logger } = protection(store, { lease: 3 });
      await replay.claim(SIGNATURE, NOW, NOW, new FakeResponse());
      await jest.advanceTimersByTimeAsync(2000);
      expect(calls.map(([name]) => name)).toEqual(['claim', 'renew', 'renew']);
      expect(logger.entries).toEqual([
        { level: 'error', message: 'Replay store failed to renew a signature (connection reset)' },
        { level: 'error', message: 'Replay store failed to renew a signature (connection reset)' },
      ]);
    });

    it('does not hold the process open while the request runs', async () => {
      jest.useRealTimers();
      const { store } = recordingStore();
      const response = new FakeResponse();
      const before = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
      await protection(store).replay.claim(SIGNATURE, NOW, NOW, response);
      expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length).toBe(before);
      response.finish(500);
    });
  });

  describe('a store that fails or does not answer', () => {
    const failing = (error: unknown) => recordingStore(() => Promise.reject(error)).store;

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
      ['rejects with a message holding a line break', failing(new Error('a\nb')), 'a\\u000ab'],
      ['rejects with a TypeError', failing(new TypeError('eval is not a function')), 'TypeError: eval is not a function'],
      ['rejects with a symbol', failing(Symbol('down')), 'Symbol(down)'],
    ])('answers 503 and logs an error when the store %s', async (_case, store, why) => {
      const { replay, logger } = protection(store);
      const response = new FakeResponse();
      const error = await replay.claim(SIGNATURE, NOW, NOW, response).catch((e: unknown) => e);
      expect(error).toEqual(new ServiceUnavailableException());
      // The decision observer reports it as the module's own refusal.
      expect((error as Record<symbol, unknown>)[DECISION_REASON]).toBe('replay_store_failed');
      expect(response.listenerCount('finish') + response.listenerCount('close')).toBe(0);
      expect(logger.entries).toEqual([
        {
          level: 'error',
          message: `Replay store failed (${why}); refusing the request with 503 (replay.onStoreError is 'reject')`,
        },
      ]);
    });

    it('lets the request through unchecked, with a warning, when failing open, and settles nothing', async () => {
      const { store, calls } = recordingStore(() => Promise.reject(new Error('connection reset')));
      const { replay, logger } = protection(store, { failOpen: true });
      const response = new FakeResponse();
      await expect(replay.claim(SIGNATURE, NOW, NOW, response)).resolves.toBeUndefined();
      response.finish(200);
      expect(calls.map(([name]) => name)).toEqual(['claim']);
      expect(logger.entries).toEqual([
        {
          level: 'warn',
          message:
            "Replay store failed (connection reset); letting the request through unchecked (replay.onStoreError is 'allow')",
        },
      ]);
    });

    describe('timeouts', () => {
      beforeEach(() => jest.useFakeTimers());
      afterEach(() => jest.useRealTimers());

      /** A store whose every operation answers after `ms` milliseconds. */
      const slowStore = (ms: number) => {
        const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
        return recordingStore(
          () => later('claimed' as const),
          () => later(undefined),
        );
      };

      it('waits up to the timeout for a claim', async () => {
        const { store } = slowStore(1900);
        const { replay, logger } = protection(store, { timeout: 2 });
        const response = new FakeResponse();
        const claimed = replay.claim(SIGNATURE, NOW, NOW, response);
        await jest.advanceTimersByTimeAsync(1900);
        await expect(claimed).resolves.toBeUndefined();
        expect(response.listenerCount('finish')).toBe(1);
        expect(logger.entries).toEqual([]);
      });

      it('counts a claim that does not answer within the timeout as failed', async () => {
        const { store } = slowStore(2100);
        const { replay, logger } = protection(store, { timeout: 2 });
        const outcome = replay.claim(SIGNATURE, NOW, NOW, new FakeResponse()).catch((e: unknown) => e);
        await jest.advanceTimersByTimeAsync(2000);
        expect(await outcome).toBeInstanceOf(ServiceUnavailableException);
        expect(logger.entries).toEqual([
          {
            level: 'error',
            message:
              "Replay store failed (no answer within 2 s (replay.timeout)); refusing the request with 503 (replay.onStoreError is 'reject')",
          },
        ]);
        await jest.advanceTimersByTimeAsync(100);
      });

      it('logs a consume that does not answer within the timeout', async () => {
        const { store } = recordingStore(
          () => 'claimed',
          () => new Promise<void>((resolve) => setTimeout(resolve, 5000)),
        );
        const { replay, logger } = protection(store, { timeout: 0.5 });
        const response = new FakeResponse();
        await replay.claim(SIGNATURE, NOW, NOW, response);
        response.finish(200);
        await jest.advanceTimersByTimeAsync(499);
        expect(logger.entries).toEqual([]);
        await jest.advanceTimersByTimeAsync(1);
        expect(logger.entries).toEqual([
          { level: 'error', message: 'Replay store failed to consume a signature (no answer within 0.5 s (replay.timeout))' },
        ]);
        await jest.advanceTimersByTimeAsync(5000);
      });
    });
  });
});
