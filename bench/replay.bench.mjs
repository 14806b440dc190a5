// Replay protection's cost per signed request: one claim before the handler and one consume
// after it, with a fresh key each time (as every genuine request has its own signature), on the
// two shipped stores. The Redis store talks to a real redis-server on loopback, started here on
// a free port and stopped at the end; its figures are round trips, so they are latency (added
// to each request) and throughput (what one client connection sustains with 32 in flight).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MemoryReplayStore, RedisReplayStore } from 'nestjs-jambonz-auth';
import { calibrate, medianNs } from './measure.mjs';

const LEASE_MS = 30_000;
const TTL_MS = 375_000;
const IN_FLIGHT = 32;

/** One request's worth of store work: claim a new signature, then consume it. */
async function claimAndConsume(store) {
  const key = randomBytes(32).toString('hex');
  if ((await store.claim(key, randomUUID(), LEASE_MS)) !== 'claimed') throw new Error('a fresh key was not claimed');
  await store.consume(key, TTL_MS);
}

/**
 * @param floorNs the bare HMAC of the 4 KB body, in ns, for scale.
 * @returns { memoryNs, redisNs, redisThroughput, floorNs } (ns per request; requests per second).
 */
export async function runReplayBench(floorNs, { minCpuMs = 30, log = () => {} } = {}) {
  const memory = new MemoryReplayStore();
  const memoryFn = () => claimAndConsume(memory);
  const memoryNs = await medianNs(memoryFn, await calibrate(memoryFn, minCpuMs));

  const server = await startRedis();
  const client = new Redis(server.port, '127.0.0.1', { enableOfflineQueue: false });
  try {
    await new Promise((resolve) => client.once('ready', resolve));
    const redis = new RedisReplayStore(client);
    const redisFn = () => claimAndConsume(redis);
    log('  replay: Redis round trips');
    const redisNs = await medianNs(redisFn, await calibrate(redisFn, minCpuMs));
    const requests = 20_000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = 0; i < requests / IN_FLIGHT; i++) await redisFn();
      }),
    );
    const redisThroughput = requests / ((performance.now() - started) / 1000);
    return { memoryNs, redisNs, redisThroughput, inFlight: IN_FLIGHT, floorNs };
  } finally {
    client.disconnect();
    await server.stop();
  }
}

/** A throwaway redis-server on a free loopback port, without persistence. */
async function startRedis() {
  const port = await new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), 'jambonz-bench-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run redis-server (apt-get install redis-server): ${error.message}`)));
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  return {
    port,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
