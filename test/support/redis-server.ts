import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INSTALL_HINT, probeRedisServer, REDIS_PROBE_VARIABLE } from './redis.global-setup.js';

/** The global setup's answer, or a probe of our own when this Jest run had no global setup. */
function redisServerPresent(): boolean {
  process.env[REDIS_PROBE_VARIABLE] ??= probeRedisServer();
  return process.env[REDIS_PROBE_VARIABLE] === 'present';
}

/**
 * Title prefix of a block skipped because something it needs is missing:
 * `[skipped: <what is missing>; <how to get it>] <title>`. skipped-tests.reporter.mjs counts the
 * tests of such blocks and ends the run with one line that repeats the reason.
 */
const SKIPPED_BECAUSE = `[skipped: redis-server is not on the PATH; ${INSTALL_HINT}] `;

/**
 * `describe()` for tests that need a real redis-server: skipped, under a title that says why,
 * where `redis-server` is not on the PATH. Under `CI=true` the global setup fails the run first
 * instead, so CI never skips them.
 */
export function describeWithRedis(title: string, tests: () => void): void {
  const present = redisServerPresent();
  (present ? describe : describe.skip)(present ? title : SKIPPED_BECAUSE + title, tests);
}

/**
 * A real redis-server on loopback, owned by one test file: started on a free port with its data
 * in a temporary directory (append-only file, so a restart keeps what was written), and stopped,
 * paused or restarted on demand. Needs `redis-server` on PATH (.ci/run installs Debian's).
 */
export class RedisServer {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'jambonz-redis-'));

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    try {
      await server.boot();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Stops the server the way an operator would (SIGTERM), keeping its data on disk. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGCONT');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.boot();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private boot(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    return new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${output}`)), 10_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        // A child that never started has nothing to stop.
        this.process = undefined;
        reject(new Error(`cannot run redis-server (${INSTALL_HINT}): ${error.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited before it was ready (${signal ?? `code ${code}`}):\n${output}`));
      });
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
