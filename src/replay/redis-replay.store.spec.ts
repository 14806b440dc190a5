import { Redis } from 'ioredis';
import { describeWithRedis, RedisServer } from '../../test/support/redis-server.js';
import { RedisReplayStore, type RedisReplayClient } from './redis-replay.store.js';

const KEY = 'c0ffee'.repeat(10) + 'beef';

describeWithRedis('RedisReplayStore against a real redis-server', () => {
  let server: RedisServer;
  let client: Redis;
  let store: RedisReplayStore;
  let sequence = 0;
  /** A key of its own for each test: they share one server. */
  let key: string;

  beforeAll(async () => {
    server = await RedisServer.start();
    client = new Redis(server.port, '127.0.0.1');
    store = new RedisReplayStore(client);
  });
  afterAll(async () => {
    // After a failed beforeAll, what it did not create is not there to stop.
    client?.disconnect();
    await server?.destroy();
  });
  beforeEach(() => {
    key = `${KEY}-${++sequence}`;
  });

  it('claims a free key for a token, under the default prefix, with the lease as its expiry', async () => {
    expect(await store.claim(key, 'token-a', 5000)).toBe('claimed');
    expect(await client.get(`jambonz:replay:${key}`)).toBe('token-a');
    const ttl = await client.pttl(`jambonz:replay:${key}`);
    expect(ttl).toBeGreaterThan(4000);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('rounds a fractional lease up to whole milliseconds', async () => {
    expect(await store.claim(key, 'token-a', 0.2)).toBe('claimed');
    const ttl = await client.pttl(`jambonz:replay:${key}`);
    expect([0, 1]).toContain(ttl === -2 ? 0 : ttl);
  });

  it('sees a held lease as in flight, and a consumed key as consumed', async () => {
    await store.claim(key, 'token-a', 5000);
    expect(await store.claim(key, 'token-b', 5000)).toBe('in-flight');
    await store.consume(key, 60_000);
    expect(await store.claim(key, 'token-c', 5000)).toBe('consumed');
  });

  it("marks a consumed key 'consumed' with its own expiry, replacing the lease", async () => {
    await store.claim(key, 'token-a', 5000);
    await store.consume(key, 60_000.4);
    expect(await client.get(`jambonz:replay:${key}`)).toBe('consumed');
    const ttl = await client.pttl(`jambonz:replay:${key}`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_001);
  });

  it("releases only its owner's lease, and never a consumed key", async () => {
    await store.claim(key, 'owner', 5000);
    await store.release(key, 'someone-else');
    expect(await store.claim(key, 'x', 5000)).toBe('in-flight');
    await store.release(key, 'owner');
    expect(await client.exists(`jambonz:replay:${key}`)).toBe(0);
    expect(await store.claim(key, 'next', 5000)).toBe('claimed');
    await store.consume(key, 60_000);
    await store.release(key, 'next');
    // Not even with the consumed marker itself as the token.
    await store.release(key, 'consumed');
    expect(await store.claim(key, 'y', 5000)).toBe('consumed');
  });

  it("renews its owner's lease from now, rounding a fractional lease up", async () => {
    await store.claim(key, 'owner', 1000);
    await store.renew(key, 'owner', 60_000.4);
    const ttl = await client.pttl(`jambonz:replay:${key}`);
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_001);
    expect(await client.get(`jambonz:replay:${key}`)).toBe('owner');
  });

  it("does not renew someone else's lease", async () => {
    await store.claim(key, 'owner', 5000);
    await store.renew(key, 'someone-else', 60_000);
    expect(await client.pttl(`jambonz:replay:${key}`)).toBeLessThanOrEqual(5000);
    expect(await client.get(`jambonz:replay:${key}`)).toBe('owner');
  });

  it('never shortens a consumed key, whatever the token, the consumed marker included', async () => {
    await store.consume(key, 60_000);
    await store.renew(key, 'consumed', 10);
    await store.renew(key, 'owner', 10);
    expect(await client.pttl(`jambonz:replay:${key}`)).toBeGreaterThan(59_000);
    expect(await client.get(`jambonz:replay:${key}`)).toBe('consumed');
  });

  it('does not bring back a lease that is gone', async () => {
    await store.claim(key, 'owner', 5000);
    await store.release(key, 'owner');
    await store.renew(key, 'owner', 60_000);
    expect(await client.exists(`jambonz:replay:${key}`)).toBe(0);
  });

  it('frees a lease once it expires', async () => {
    await store.claim(key, 'token-a', 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.claim(key, 'token-b', 5000)).toBe('claimed');
  });

  it('puts its keys under the prefix it is given', async () => {
    const prefixed = new RedisReplayStore(client, 'app-42:');
    expect(await prefixed.claim(key, 'token-a', 5000)).toBe('claimed');
    expect(await client.get(`app-42:${key}`)).toBe('token-a');
    expect(await store.claim(key, 'token-b', 5000)).toBe('claimed');
    await prefixed.renew(key, 'token-a', 60_000);
    expect(await client.pttl(`app-42:${key}`)).toBeGreaterThan(59_000);
    expect(await client.pttl(`jambonz:replay:${key}`)).toBeLessThanOrEqual(5000);
    await prefixed.consume(key, 60_000);
    await prefixed.release(key, 'token-a');
    expect(await client.get(`app-42:${key}`)).toBe('consumed');
    expect(await client.get(`jambonz:replay:${key}`)).toBe('token-b');
  });

  it('passes on what the client throws when Redis cannot answer', async () => {
    const offline = new Redis(server.port, '127.0.0.1', { lazyConnect: true, enableOfflineQueue: false });
    try {
      const broken = new RedisReplayStore(offline);
      await expect(broken.claim(key, 'a', 5000)).rejects.toThrow(/Stream isn't writeable/);
      await expect(broken.renew(key, 'a', 5000)).rejects.toThrow(/Stream isn't writeable/);
      await expect(broken.consume(key, 5000)).rejects.toThrow(/Stream isn't writeable/);
      await expect(broken.release(key, 'a')).rejects.toThrow(/Stream isn't writeable/);
    } finally {
      offline.disconnect();
    }
  });
});

describe('RedisReplayStore without a server', () => {
  it.each<[string, unknown]>([
    ['no client', undefined],
    ['an object without eval and set', {}],
    ['a client without set', { eval: () => undefined }],
    ['a client without eval', { set: () => undefined }],
  ])('refuses %s', (_case, client) => {
    expect(() => new RedisReplayStore(client as RedisReplayClient)).toThrow(
      new TypeError('RedisReplayStore: client must be an ioredis client (with eval and set)'),
    );
  });

  it.each<[unknown, string]>([
    ['OK', 'OK'],
    [null, 'null'],
    [1, '1'],
  ])('refuses an unexpected answer from the claim script (%p)', async (answer, shown) => {
    const client: RedisReplayClient = { eval: async () => answer, set: async () => 'OK' };
    await expect(new RedisReplayStore(client).claim(KEY, 'a', 1000)).rejects.toThrow(
      new Error(`RedisReplayStore: unexpected answer from the claim script: ${shown}`),
    );
  });
});
