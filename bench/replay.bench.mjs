// Replay protection's cost per signed request: one claim before the handler and one consume
// after it, with a fresh key each time (as every genuine request has its own signature), on the
// two shipped stores. The Redis store talks to a real redis-server on loopback, started here on
// a free port and stopped at the end; its figures are round trips, so they are latency (added
// to each request) and throughput (what one client connection sustains with 32 in flight).
// Without redis-server on the PATH, the Redis store is skipped and the result says so.
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
const REQUESTS = 20_000;

/** One request's worth of store work: claim a new signature, then consume it. */
async function claimAndConsume(store) {
  const key = randomBytes(32).toString('hex');
  if ((await store.claim(key, randomUUID(), LEASE_MS)) !== 'claimed') throw new Error('a fresh key was not claimed');
  await store.consume(key, TTL_MS);
}

/**
 * @returns `{ memoryNs, inFlight, redis: { ns, throughput } | { skipped } }` (ns per request;
 *   requests per second; why the Redis store was not measured).
 */
export async function runReplayBench({ minCpuMs, log }) {
  const memory = new MemoryReplayStore();
  const memoryFn = () => claimAndConsume(memory);
  const memoryNs = await medianNs(memoryFn, await calibrate(memoryFn, minCpuMs));

  const server = await startRedis();
  if (server.skipped) return { memoryNs, inFlight: IN_FLIGHT, redis: server };
  const client = new Redis(server.port, '127.0.0.1', { enableOfflineQueue: false });
  try {
    await new Promise((resolve) => client.once('ready', resolve));
    const store = new RedisReplayStore(client);
    const redisFn = () => claimAndConsume(store);
    log('  replay: Redis round trips');
    const ns = await medianNs(redisFn, await calibrate(redisFn, minCpuMs));
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = 0; i < REQUESTS / IN_FLIGHT; i++) await redisFn();
      }),
    );
    const throughput = REQUESTS / ((performance.now() - started) / 1000);
    return { memoryNs, inFlight: IN_FLIGHT, redis: { ns, throughput } };
  } finally {
    client.disconnect();
    await server.stop();
  }
}

/**
 * A throwaway redis-server on a free loopback port, without persistence.
 * @returns `{ port, stop }`, or `{ skipped }` when redis-server is not on the PATH.
 */
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
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before it was ready`)));
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) resolve();
      });
    });
  } catch (error) {
    await stop();
    if (error.code === 'ENOENT') return { skipped: 'redis-server is not on the PATH (apt-get install redis-server)' };
    throw error;
  }
  return { port, stop };
}
