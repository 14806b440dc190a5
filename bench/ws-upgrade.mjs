// What authenticating a jambonz WebSocket upgrade costs: instructions per upgrade, counted by
// valgrind's callgrind in the server process, on three gateways of one Nest app served by
// JambonzWsAdapter, each reached with the same request (jambonz's ws client settings, the same
// Authorization header and subprotocol, then a normal close):
//
//   /auth   @JambonzGateway({ kind: 'api' })              Basic credentials checked (what is measured)
//   /open   @JambonzGateway({ kind: 'api', open: true })  the same gateway without the credential check
//   /plain  @WebSocketGateway({ path: '/plain' })          Nest's own WsAdapter path, no jambonz layer
//
// auth/open is the cost of the authentication itself (Basic parse, two SHA-256, constant-time
// compares); auth/plain adds the rest of the jambonz layer on the upgrade (the decision, the
// subprotocol check, the connection object). Each connection is opened, then closed by the
// client, one at a time: the counts cover the whole upgrade and close of one connection. The
// check itself is a few tens of thousands of instructions in a 1.4M-instruction upgrade, less than
// a garbage collection or a JIT tier-up that lands in one round: the minimum over the rounds (noise
// only ever adds instructions) is printed beside the median, and the check is also counted alone:
// `BasicCredentialsVerifier.verifyIndex`, the one thing /auth does that /open does not, called
// 2,000 times in the server between two counts.
//
//   npm run bench:ws     builds, measures both platforms with the burst, and rewrites BENCHMARKS.md's
//                        "npm run bench:ws" block
//   npm run build && node bench/ws-upgrade.mjs [express|fastify] [--cpu] [--burst]   printed only
//
//   --cpu    no valgrind: server CPU time per upgrade (process.cpuUsage), noisier on a busy machine
//   --burst  also open 64 genuine and 64 forged connections at once against /auth, 5 rounds, from
//            this process to the server's, and print the handshake times (median and max);
//            --burst-only skips the cost measurement
//
// BENCH_WS_ROUNDS=5 BENCH_WS_UPGRADES=200 BENCH_WS_WARMUP=300. Self-contained: it needs the built
// package (dist/, through the package's own exports), `ws` and, for instructions, valgrind.
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { writeBlock } from './benchmarks-md.mjs';
import { countInstructions, requireValgrind, spawnUnderCallgrind } from './callgrind.mjs';
import { machineLines } from './machine.mjs';
import { median } from './measure.mjs';

const { JAMBONZ_HANDSHAKE_TIMEOUT_MS, JAMBONZ_MAX_FRAME_BYTES } = await import('nestjs-jambonz-auth/websocket');
const CREDENTIALS = { username: 'jambonz', password: 'bench-only-password' };
const VARIANTS = ['auth', 'open', 'plain'];
const env = process.env;
const ROUNDS = Number(env.BENCH_WS_ROUNDS ?? 5);
const UPGRADES = Number(env.BENCH_WS_UPGRADES ?? 200);
const WARMUP = Number(env.BENCH_WS_WARMUP ?? 300);
const SELF = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------------------------------------
// The server: `node bench/ws-upgrade.mjs --server <platform>`, started by the driver below.

async function serve(platform) {
  const { Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { SubscribeMessage, WebSocketGateway } = await import('@nestjs/websockets');
  const { JambonzAuthModule } = await import('nestjs-jambonz-auth');
  const { JambonzGateway, JambonzWsAdapter } = await import('nestjs-jambonz-auth/websocket');

  // Decorators applied by hand: plain JavaScript, no transpiler. Each gateway answers session:new.
  const gateway = (name, decorate) => {
    const Gateway = { [name]: class {} }[name];
    Gateway.prototype.onCall = () => [{ verb: 'hangup' }];
    const descriptor = Object.getOwnPropertyDescriptor(Gateway.prototype, 'onCall');
    SubscribeMessage('session:new')(Gateway.prototype, 'onCall', descriptor);
    decorate(Gateway);
    return Gateway;
  };
  const providers = [
    gateway('AuthGateway', JambonzGateway({ path: '/auth', kind: 'api' })),
    gateway('OpenGateway', JambonzGateway({ path: '/open', kind: 'api', open: true })),
    gateway('PlainGateway', WebSocketGateway({ path: '/plain' })),
  ];
  class BenchModule {}
  Module({ imports: [JambonzAuthModule.forRoot({ basicAuth: CREDENTIALS })], providers })(BenchModule);

  const options = { logger: ['error'] };
  let app;
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(BenchModule, new FastifyAdapter(), options);
  } else {
    app = await NestFactory.create(BenchModule, options);
  }
  app.useWebSocketAdapter(new JambonzWsAdapter(app));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  // Over IPC, the driver asks for CPU time (--cpu), a full garbage collection before each counted
  // window, and runs of the credential check alone.
  const { JAMBONZ_AUTH_CONFIG } = await import('nestjs-jambonz-auth');
  const verifier = app.get(JAMBONZ_AUTH_CONFIG).credentialSets.get('default');
  const authorization = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}`;
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send({ cpu: user + system });
    } else if (message === 'gc') {
      globalThis.gc?.();
      process.send({ done: true });
    } else if (typeof message === 'object' && message.verify !== undefined) {
      for (let i = 0; i < message.verify; i++) verifier.verifyIndex(authorization);
      process.send({ done: true });
    }
  });
  console.log(`listening 127.0.0.1:${port}`);
}

// ------------------------------------------------------------------------------------------------
// The driver.

/**
 * Opens one connection as jambonz does (ws.jambonz.org, Basic, user-agent jambonz, 1.5 s), resolving
 * with its handshake time. `handshakeTimeout` is raised for a server under valgrind, 20 to 50 times slower.
 */
function connect(url, { credentials = CREDENTIALS, close = true, handshakeTimeout = JAMBONZ_HANDSHAKE_TIMEOUT_MS } = {}) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['ws.jambonz.org'], {
      followRedirects: true,
      maxRedirects: 2,
      handshakeTimeout,
      maxPayload: JAMBONZ_MAX_FRAME_BYTES,
      headers: { 'user-agent': 'jambonz' },
      ...(credentials && { auth: `${credentials.username}:${credentials.password}` }),
    });
    socket.once('open', () => {
      const ms = performance.now() - started;
      if (!close) return resolve({ ms, socket });
      socket.once('close', () => resolve({ ms }));
      socket.close(1000);
    });
    socket.once('unexpected-response', (request, response) => {
      request.destroy();
      resolve({ ms: performance.now() - started, status: response.statusCode });
    });
    socket.once('error', reject);
  });
}

async function upgrades(base, variant, count, handshakeTimeout = 60_000) {
  for (let i = 0; i < count; i++) {
    const { status } = await connect(`${base}/${variant}`, { handshakeTimeout });
    if (status !== undefined) throw new Error(`bench/ws-upgrade: /${variant} refused a genuine upgrade with ${status}`);
  }
}

function startServer(platform, { valgrind, dir }) {
  // Under valgrind, V8's background threads (concurrent compilation, marking, sweeping) would add
  // their instructions to whichever window they land in: the server runs them on its main thread.
  const args = ['--expose-gc', ...(valgrind ? ['--predictable-gc-schedule'] : []), SELF, '--server', platform];
  const stdio = ['ignore', 'pipe', 'pipe', 'ipc'];
  const child = valgrind ? spawnUnderCallgrind(dir, args, { stdio }) : spawn(process.execPath, args, { stdio });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bench/ws-upgrade: the server did not start in 120 s')), 120_000);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const port = /listening 127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ child, base: `ws://127.0.0.1:${port}` });
      }
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk.toString().replace(/^==\d+==.*\n/gm, '')));
    child.once('exit', (code) => reject(new Error(`bench/ws-upgrade: the server exited with ${code}`)));
  });
}

/** Runs `step` `times` times, one after the other, collecting the results. */
async function sequence(times, step) {
  const results = [];
  for (let i = 0; i < times; i++) results.push(await step());
  return results;
}

async function measure(platform, cpu) {
  const dir = mkdtempSync(join(tmpdir(), 'jambonz-ws-bench-'));
  const { child, base } = await startServer(platform, { valgrind: !cpu, dir });
  const ask = (message) =>
    new Promise((resolve) => {
      child.once('message', resolve);
      child.send(message);
    });
  const cpuNow = async () => (await ask('cpu')).cpu;
  /** Instructions of `work`, counted alone. */
  const counted = (work) => countInstructions(child.pid, dir, work);
  try {
    for (const variant of VARIANTS) await upgrades(base, variant, WARMUP);
    const perUpgrade = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotating order, so that no variant always runs first or last.
      for (const variant of VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length])) {
        await ask('gc');
        if (cpu) {
          const before = await cpuNow();
          await upgrades(base, variant, UPGRADES);
          perUpgrade[variant].push(((await cpuNow()) - before) / UPGRADES);
        } else {
          perUpgrade[variant].push((await counted(() => upgrades(base, variant, UPGRADES))) / UPGRADES);
        }
      }
      process.stderr.write(`[ws-upgrade] ${platform}: round ${round + 1}/${ROUNDS}\n`);
    }
    const result = Object.fromEntries(
      VARIANTS.map((variant) => [variant, { median: median(perUpgrade[variant]), min: Math.min(...perUpgrade[variant]) }]),
    );
    if (!cpu) {
      // The check alone: 2,000 calls, minus the same IPC round trip with none.
      const checks = 2000;
      await ask({ verify: checks });
      const empty = median(await sequence(3, () => counted(() => ask({ verify: 0 }))));
      const full = median(await sequence(3, () => counted(() => ask({ verify: checks }))));
      result.check = (full - empty) / checks;
    }
    return result;
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 64 genuine and 64 forged upgrades at once against /auth, `rounds` times: handshake times. */
async function burst(platform, rounds = 5) {
  const PATIENT_MS = 10 * JAMBONZ_HANDSHAKE_TIMEOUT_MS;
  const { child, base } = await startServer(platform, { valgrind: false });
  const forged = [null, { ...CREDENTIALS, password: 'forged' }, { username: 'intruder', password: CREDENTIALS.password }];
  try {
    await upgrades(base, 'auth', WARMUP);
    const genuine = [];
    const refused = [];
    for (let round = 0; round < rounds; round++) {
      const attempts = await Promise.all([
        // A longer client timeout than jambonz's, so that a slow handshake is measured (and judged), not lost.
        ...Array.from({ length: 64 }, () => connect(`${base}/auth`, { close: false, handshakeTimeout: PATIENT_MS })),
        ...Array.from({ length: 64 }, (_, i) =>
          connect(`${base}/auth`, { credentials: forged[i % forged.length], handshakeTimeout: PATIENT_MS }),
        ),
      ]);
      const opened = attempts.filter((attempt) => attempt.socket);
      if (opened.length !== 64 || attempts.filter((attempt) => attempt.status === 401).length !== 64) {
        throw new Error(
          `bench/ws-upgrade: ${opened.length} of 64 genuine upgrades opened, or a forged one was not refused with 401`,
        );
      }
      genuine.push(...opened.map((attempt) => attempt.ms));
      refused.push(...attempts.filter((attempt) => attempt.status).map((attempt) => attempt.ms));
      for (const { socket } of opened) socket.close(1000);
    }
    return { genuine, refused };
  } finally {
    child.kill('SIGKILL');
  }
}

/** Measures the three gateways: the cost of one upgrade on each, and the ratios, as report lines. */
async function costLines(platform, cpu) {
  const unit = cpu ? 'µs of server CPU' : 'instructions';
  const { auth, open, plain, check } = await measure(platform, cpu);
  const show = (n) => (cpu ? `${n.toFixed(1)} µs` : `${(n / 1000).toFixed(1)}k`);
  const row = (label, m) => `  ${label.padEnd(34)}${show(m.median).padStart(10)}${show(m.min).padStart(10)}`;
  const ratio = (a, b) => `${(a / b).toFixed(3)}x (${a >= b ? '+' : ''}${show(a - b)})`;
  const lines = [
    `## One WebSocket upgrade and close on ${platform} (${unit}; ${ROUNDS} rounds of ${UPGRADES})`,
    '',
    `  ${''.padEnd(34)}${'median'.padStart(10)}${'min'.padStart(10)}`,
    row('/auth  (credentials checked)', auth),
    row('/open  (same gateway, open)', open),
    row("/plain (Nest's WsAdapter path)", plain),
    '',
    `  authenticated / unauthenticated (auth/open):  median ${ratio(auth.median, open.median)}, min ${ratio(auth.min, open.min)}`,
    `  authenticated / plain gateway  (auth/plain):  median ${ratio(auth.median, plain.median)}, min ${ratio(auth.min, plain.min)}`,
  ];
  if (check !== undefined) {
    lines.push(
      '',
      `  the credential check alone (verifyIndex):     ${show(check)} instructions`,
      `  an upgrade plus the check, over the open upgrade: ${((open.median + check) / open.median).toFixed(3)}x (median)`,
    );
  }
  return lines;
}

/** The burst's handshake times on `platform`, as report lines. */
async function burstLines(platform) {
  const { genuine, refused } = await burst(platform);
  const max = (values) => Math.max(...values);
  return [
    `## 64 genuine + 64 forged upgrades at once on ${platform}, 5 rounds (client in another process)`,
    '',
    `  genuine handshake: median ${median(genuine).toFixed(1)} ms, max ${max(genuine).toFixed(1)} ms`,
    `  forged refusal:    median ${median(refused).toFixed(1)} ms, max ${max(refused).toFixed(1)} ms`,
    // jambonz drops a WebSocket whose handshake takes longer.
    `  every genuine handshake within jambonz's ${JAMBONZ_HANDSHAKE_TIMEOUT_MS} ms: ${max(genuine) <= JAMBONZ_HANDSHAKE_TIMEOUT_MS ? 'PASS' : 'MISS'}`,
  ];
}

if (process.argv[2] === '--server') {
  await serve(process.argv[3]);
} else {
  const flags = new Set(process.argv.slice(2).filter((arg) => arg.startsWith('--')));
  const named = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
  // With no platform named: both, with the burst, recorded in BENCHMARKS.md.
  const recorded = named === undefined && flags.size === 0;
  const platforms = named === undefined ? ['express', 'fastify'] : [named];
  const cpu = flags.has('--cpu');
  if (!cpu && !flags.has('--burst-only')) await requireValgrind('bench/ws-upgrade.mjs (or --cpu)');
  const report = ['# What authenticating a WebSocket upgrade costs (npm run bench:ws)', ...machineLines()];
  for (const platform of platforms) {
    if (!flags.has('--burst-only')) report.push('', ...(await costLines(platform, cpu)));
    if (recorded || flags.has('--burst') || flags.has('--burst-only')) report.push('', ...(await burstLines(platform)));
  }
  console.log(report.join('\n'));
  if (recorded) {
    writeBlock('npm run bench:ws', report.join('\n'));
    process.stderr.write('BENCHMARKS.md: the "npm run bench:ws" block rewritten\n');
  }
}
