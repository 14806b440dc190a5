import { Redis } from 'ioredis';
import { JambonzAuthModule, RedisReplayStore, type JambonzReplayOptions } from '../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from './support/app.js';
import { allLogLines } from './support/captured-logs.js';
import { failures, ReplayController, settled } from './support/controllers.js';
import { deliveries } from './support/deliveries.js';
import { send } from './support/http.js';
import { describeWithRedis, RedisServer } from './support/redis-server.js';

const SECRET = 'wh_secret_e2eRedisReplay00001';
const delivery = deliveries('gather-action-digits', SECRET);

describeWithRedis('replay protection across two instances sharing one Redis', () => {
  let redis: RedisServer;
  /** The start of `redis`: the nested blocks' setup awaits it, to fail with its reason if it failed. */
  let started: Promise<RedisServer>;
  const clients: Redis[] = [];
  const apps: RunningApp[] = [];

  /** One app instance with its own Redis connection, as each replica of a deployment has. */
  async function instance(adapter: (typeof ADAPTERS)[number], replay: Partial<JambonzReplayOptions> = {}): Promise<RunningApp> {
    await started;
    // No offline queue and one retry: a command fails fast while Redis is away instead of waiting for it.
    const client = new Redis(redis.port, '127.0.0.1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 100,
    });
    client.on('error', () => undefined);
    clients.push(client);
    await new Promise((resolve) => client.once('ready', resolve));
    const app = await startApp(
      adapter,
      'raw-body',
      [JambonzAuthModule.forRoot({ secret: SECRET, replay: { store: new RedisReplayStore(client), timeout: 0.5, ...replay } })],
      [ReplayController],
    );
    apps.push(app);
    return app;
  }

  beforeAll(async () => {
    started = RedisServer.start();
    redis = await started;
  });
  afterAll(async () => {
    // After a failed beforeAll, what it did not create is not there to stop.
    await Promise.all(apps.map((app) => app.close()));
    clients.forEach((client) => client.disconnect());
    await redis?.destroy();
  });

  describe.each([
    ['express', 'fastify'],
    ['fastify', 'express'],
  ] as const)('instance A on %s, instance B on %s', (adapterA, adapterB) => {
    let a: RunningApp;
    let b: RunningApp;
    beforeAll(async () => {
      [a, b] = [await instance(adapterA), await instance(adapterB)];
    });

    it('refuses on B a request that A accepted', async () => {
      const request = delivery();
      const first = await send(`${a.url}/replay/hook`, request);
      const replayed = await send(`${b.url}/replay/hook`, request);
      expect([first.status, replayed.status]).toEqual([200, 409]);
    });

    it('accepts on B the retry of a request A answered with 500', async () => {
      const request = delivery();
      failures.remaining = 1;
      const failed = await send(`${a.url}/replay/hook`, request);
      await settled();
      const retry = await send(`${b.url}/replay/hook`, request);
      const replayed = await send(`${a.url}/replay/hook`, request);
      expect([failed.status, retry.status, replayed.status]).toEqual([500, 200, 409]);
    });

    it('lets exactly one of duplicates sent concurrently to both through', async () => {
      const request = delivery();
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => send(`${(i % 2 ? a : b).url}/replay/hook`, request)),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(9);
    });

    it('stores only the signature digest, never the secret, with an expiry', async () => {
      const request = delivery();
      await send(`${a.url}/replay/hook`, request);
      await settled();
      const v1 = request.headers['jambonz-signature'].split('v1=')[1]!;
      const probe = new Redis(redis.port, '127.0.0.1');
      try {
        const keys = await probe.keys('jambonz:replay:*');
        expect(keys).toContain(`jambonz:replay:${v1}`);
        expect(keys.join()).not.toContain(SECRET);
        const ttl = await probe.pttl(`jambonz:replay:${v1}`);
        expect(ttl).toBeGreaterThan(370_000);
        expect(ttl).toBeLessThanOrEqual(375_000);
      } finally {
        probe.disconnect();
      }
    });
  });

  describe('when Redis goes away', () => {
    let closed: RunningApp;
    let open: RunningApp;
    beforeAll(async () => {
      closed = await instance('express');
      open = await instance('fastify', { onStoreError: 'allow' });
    });

    it('fails closed (503) or open (200) as configured while Redis is frozen, and loses nothing once it is back', async () => {
      const consumed = delivery();
      expect((await send(`${closed.url}/replay/hook`, consumed)).status).toBe(200);
      redis.pause();
      try {
        const during = delivery();
        expect((await send(`${closed.url}/replay/hook`, during)).status).toBe(503);
        expect((await send(`${open.url}/replay/hook`, during)).status).toBe(200);
      } finally {
        redis.resume();
      }
      expect((await send(`${open.url}/replay/hook`, consumed)).status).toBe(409);
      expect((await send(`${closed.url}/replay/hook`, delivery())).status).toBe(200);
      // Nest's Logger writes to the logger of the app created last, so both apps' lines are read together.
      expect(allLogLines.join('\n')).toContain('refusing the request with 503');
      expect(allLogLines.join('\n')).toContain('letting the request through unchecked');
    });

    it('fails closed while Redis is down, and still remembers consumed signatures after a restart', async () => {
      const consumed = delivery();
      expect((await send(`${closed.url}/replay/hook`, consumed)).status).toBe(200);
      await redis.stop();
      try {
        expect((await send(`${closed.url}/replay/hook`, delivery())).status).toBe(503);
      } finally {
        await redis.restart();
      }
      await waitFor(async () => (await send(`${closed.url}/replay/hook`, consumed)).status === 409);
      expect((await send(`${open.url}/replay/hook`, consumed)).status).toBe(409);
      expect((await send(`${closed.url}/replay/hook`, delivery())).status).toBe(200);
    });
  });
});

/** Polls until `ready` holds (the clients reconnect on their own after a restart). */
async function waitFor(ready: () => Promise<boolean>, attempts = 50): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the condition never held');
}
