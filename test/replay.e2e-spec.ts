import { request as httpRequest } from 'node:http';
import { Controller, ForbiddenException, Post, UseGuards, type CanActivate } from '@nestjs/common';
import { JAMBONZ_REPLAY_MESSAGE, JambonzAuthModule, JambonzWebhook, MemoryReplayStore, type ReplayStore } from '../src/index.js';
import { ADAPTERS, createApp, startApp, type RunningApp } from './support/app.js';
import { failures, ReplayController, ReplayGetController, settled } from './support/controllers.js';
import { deliveries } from './support/deliveries.js';
import { basic, send } from './support/http.js';

const SECRET = 'wh_secret_e2eReplaySuite00001';
const CREDENTIALS = { username: 'u', password: 'p' };
const delivery = deliveries('call-status-completed', SECRET, CREDENTIALS);

describe.each(ADAPTERS)('replay protection in memory on %s', (adapter) => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp(
      adapter,
      'raw-body',
      [
        // A secret and credentials: require defaults to 'both', as jambonz sends both headers.
        JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: CREDENTIALS, replay: { store: new MemoryReplayStore() } }),
      ],
      [ReplayController, ReplayGetController],
    );
  });
  afterAll(() => app.close());

  it('refuses a second delivery of a request that succeeded with 409', async () => {
    const request = delivery();
    const first = await send(`${app.url}/replay/hook`, request);
    const again = await send(`${app.url}/replay/hook`, request);
    expect([first.status, again.status]).toEqual([200, 409]);
    expect(again.json).toEqual({ statusCode: 409, message: JAMBONZ_REPLAY_MESSAGE, error: 'Conflict' });
  });

  it("accepts jambonz's retry after the handler failed", async () => {
    const request = delivery();
    failures.remaining = 1;
    const failed = await send(`${app.url}/replay/hook`, request);
    await settled();
    const retry = await send(`${app.url}/replay/hook`, request);
    const replay = await send(`${app.url}/replay/hook`, request);
    expect([failed.status, retry.status, replay.status]).toEqual([500, 200, 409]);
  });

  it('lets exactly one of concurrent duplicates through; the others get 409', async () => {
    const request = delivery();
    const replies = await Promise.all(Array.from({ length: 8 }, () => send(`${app.url}/replay/hook`, request)));
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('leaves a route that opted out, and GET hooks (Basic alone, no body to sign), alone', async () => {
    const request = delivery();
    const opted = [
      await send(`${app.url}/replay/unprotected-replay`, request),
      await send(`${app.url}/replay/unprotected-replay`, request),
    ];
    const get = { method: 'GET', headers: { authorization: basic('u', 'p') } };
    const gets = [await send(`${app.url}/replay/hook`, get), await send(`${app.url}/replay/hook`, get)];
    expect([...opted, ...gets].map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
  });

  it('still refuses a replay whose signature header was stripped, since Basic alone is not enough', async () => {
    const request = delivery();
    expect((await send(`${app.url}/replay/hook`, request)).status).toBe(200);
    const { 'jambonz-signature': _stripped, ...headers } = request.headers;
    expect((await send(`${app.url}/replay/hook`, { ...request, headers })).status).toBe(401);
  });

  it('does not let a forged request claim a signature', async () => {
    const request = delivery();
    const forged = { ...request, body: `${request.body} ` };
    const refused = await send(`${app.url}/replay/hook`, forged);
    const genuine = await send(`${app.url}/replay/hook`, request);
    expect([refused.status, genuine.status]).toEqual([401, 200]);
  });
});

describe.each(ADAPTERS)('a failing replay store on %s', (adapter) => {
  const broken: ReplayStore = {
    claim: () => Promise.reject(new Error('store down')),
    renew: () => Promise.reject(new Error('store down')),
    consume: () => Promise.reject(new Error('store down')),
    release: () => Promise.reject(new Error('store down')),
  };
  const hanging: ReplayStore = {
    claim: () => new Promise(() => undefined),
    renew: () => undefined,
    consume: () => undefined,
    release: () => undefined,
  };

  it.each([
    [
      'fails closed with 503 by default',
      broken,
      undefined,
      503,
      'error Replay store failed (store down); refusing the request with 503',
    ],
    ['fails closed on a store that does not answer in time', hanging, undefined, 503, 'no answer within 0.2 s'],
    [
      "lets requests through with a warning under onStoreError: 'allow'",
      broken,
      'allow' as const,
      200,
      'warn Replay store failed (store down); letting the request through',
    ],
  ])('%s', async (_name, store, onStoreError, status, logged) => {
    const app = await startApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: CREDENTIALS, replay: { store, onStoreError, timeout: 0.2 } })],
      [ReplayController],
    );
    try {
      const reply = await send(`${app.url}/replay/hook`, delivery());
      expect(reply.status).toBe(status);
      expect(app.logs.lines.join('\n')).toContain(logged);
    } finally {
      await app.close();
    }
  });

  it.each([
    ['a store without its methods', { store: {} }, /replay\.store must be a replay store/],
    [
      'an unknown failure mode',
      { store: new MemoryReplayStore(), onStoreError: 'ignore' },
      /replay\.onStoreError must be one of 'reject', 'allow'/,
    ],
    ['a zero lease', { store: new MemoryReplayStore(), lease: 0 }, /replay\.lease must be a positive number of seconds/],
  ])('refuses %s at bootstrap', async (_name, replay, message) => {
    await expect(
      createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot({ secret: SECRET, replay } as never)], [ReplayController]),
    ).rejects.toThrow(message);
  });

  it.each(['either', 'basic'] as const)(
    "refuses at bootstrap replay protection under require '%s', where Basic alone would let a copy through",
    async (require) => {
      const options = { secret: SECRET, basicAuth: CREDENTIALS, require, replay: { store: new MemoryReplayStore() } };
      const { app } = await createApp(adapter, 'raw-body', [JambonzAuthModule.forRoot(options)], [ReplayController]);
      try {
        await expect(app.init()).rejects.toThrow(
          `ReplayController.onHook has replay protection but require '${require}', so a copied request passes on Basic alone`,
        );
      } finally {
        await app.close();
      }
    },
  );
});

describe.each(ADAPTERS)('replay protection across routes and slow handlers on %s', (adapter) => {
  /** Handler runs by route, to see a duplicate run. */
  const runs: string[] = [];

  /** Refuses every request after the jambonz guard has let it through (an app's own rule). */
  class LaterGuard implements CanActivate {
    canActivate(): boolean {
      throw new ForbiddenException('not today');
    }
  }

  @Controller('routes')
  @JambonzWebhook()
  class ToleranceController {
    @Post('short')
    @JambonzWebhook({ tolerance: 60 })
    short() {
      runs.push('short');
      return [];
    }

    @Post('long')
    @JambonzWebhook({ tolerance: 600 })
    long() {
      runs.push('long');
      return [];
    }

    @Post('slow')
    async slow() {
      runs.push('slow');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      return [];
    }

    @Post('refused-later')
    @UseGuards(LaterGuard)
    refusedLater() {
      runs.push('refused-later');
      return [];
    }
  }

  /** A memory store that records the ttl of each consume and every renewal. */
  class RecordingStore extends MemoryReplayStore {
    readonly ttls: number[] = [];
    renewals = 0;
    override consume(key: string, ttlMs: number) {
      this.ttls.push(ttlMs);
      super.consume(key, ttlMs);
    }
    override renew(key: string, token: string, leaseMs: number) {
      this.renewals++;
      super.renew(key, token, leaseMs);
    }
  }

  let app: RunningApp;
  const store = new RecordingStore();
  beforeAll(async () => {
    app = await startApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, basicAuth: CREDENTIALS, replay: { store, lease: 1, timeout: 0.5 } })],
      [ToleranceController],
    );
  });
  afterAll(() => app.close());

  it('remembers a signature consumed on a short-tolerance route for as long as the longest-tolerance route accepts it', async () => {
    store.ttls.length = 0;
    const request = delivery();
    expect((await send(`${app.url}/routes/short`, request)).status).toBe(200);
    await settled();
    // 600 s (the longest tolerance of the app) + 75 s of jambonz retries, not 60 + 75.
    expect(store.ttls).toEqual([675_000]);
    expect((await send(`${app.url}/routes/long`, request)).status).toBe(409);
  });

  it('keeps the claim of a handler that runs longer than the lease, so a duplicate does not run it twice', async () => {
    runs.length = 0;
    store.renewals = 0;
    const request = delivery();
    const first = send(`${app.url}/routes/slow`, request);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const duplicate = await send(`${app.url}/routes/slow`, request);
    expect([(await first).status, duplicate.status]).toEqual([200, 409]);
    expect(runs).toEqual(['slow']);
    expect(store.renewals).toBeGreaterThanOrEqual(2);
  });

  it('counts a signature as used when the connection closes before the answer: a copy cannot run the handler again', async () => {
    runs.length = 0;
    const request = delivery();
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${app.url}/routes/slow`, { method: 'POST', headers: request.headers });
      req.on('error', () => resolve()); // the abort
      req.end(request.body);
      setTimeout(() => req.destroy(), 300);
    });
    await settled();
    const copies = await Promise.all([send(`${app.url}/routes/slow`, request), send(`${app.url}/routes/slow`, request)]);
    expect(copies.map((reply) => reply.status)).toEqual([409, 409]);
    expect(runs).toEqual(['slow']);
  });

  it("releases the claim when a later guard refuses the request, so jambonz's retry is not taken for a duplicate", async () => {
    runs.length = 0;
    const request = delivery();
    expect((await send(`${app.url}/routes/refused-later`, request)).status).toBe(403);
    await settled();
    expect((await send(`${app.url}/routes/refused-later`, request)).status).toBe(403);
    expect(runs).toEqual([]);
  });
});

describe('replay options that cannot keep a lease', () => {
  it('refuse a store timeout above half the lease at bootstrap', async () => {
    const options = { secret: SECRET, replay: { store: new MemoryReplayStore(), lease: 2, timeout: 1.5 } };
    await expect(createApp('express', 'raw-body', [JambonzAuthModule.forRoot(options)], [])).rejects.toThrow(
      'options.replay.timeout (1.5 s) must be at most half of options.replay.lease (2 s), so that the lease is renewed before it lapses',
    );
  });
});
