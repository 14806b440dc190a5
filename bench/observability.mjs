// What observability costs per request, in instructions counted by valgrind's callgrind (needs
// valgrind; Debian: apt-get install valgrind). `npm run build` first, then:
//
//   npm run bench:observability                    builds, runs the default, and rewrites
//                                                  BENCHMARKS.md's "npm run bench:observability" block
//   node bench/observability.mjs guard             the guard in process, without HTTP (the default)
//   node bench/observability.mjs fastify|express   over HTTP, the whole server process (printed only)
//
// One Nest app (or application context) per variant, each with `@JambonzWebhook()` on one POST
// route and a 4 KB signed body, runs under callgrind with instrumentation off; after a warm-up at
// full speed, each variant gets REQUESTS requests with instrumentation on, in rotating order over
// ROUNDS rounds, and the medians are printed with the difference to `guarded`:
//
//   plain     (HTTP only) the same route without the module: the floor
//   guarded   the module, nothing observing: the guard builds no decision at all
//   events    onDecision with a listener that does nothing
//   metrics   metrics: { meterProvider } on a real OpenTelemetry SDK provider whose reader
//             never collects (as between two Prometheus scrapes)
//   both      onDecision and metrics
//   rotation  two secrets, nothing else: rotation telemetry alone (on by default then)
//
// In process, the decisions queued by the observer go out every 50 requests and at the end of
// each window, so their dispatch is counted. Over HTTP, the whole process is counted (framework,
// sockets, garbage collection): on a busy machine its spread is far wider than the differences.
//
// BENCH_OBS_ROUNDS=3  BENCH_OBS_REQUESTS=2000 (in process) or 400 (HTTP)  BENCH_OBS_WARMUP=3000
//   BENCH_OBS_VARIANTS=guarded,events,metrics,both,rotation
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBlock } from './benchmarks-md.mjs';
import { countInstructions, requireValgrind, spawnUnderCallgrind } from './callgrind.mjs';
import { machineLines } from './machine.mjs';
import { median } from './measure.mjs';

const SECRET = 'wh_secret_benchObservability01';
const OLD_SECRET = 'wh_secret_benchObservabilityOld';
const FIXED_T = 1_715_000_000;
const ALL_VARIANTS = ['plain', 'guarded', 'events', 'metrics', 'both', 'rotation'];

if (process.argv[2] === 'server') {
  await serve(process.argv[3]);
} else if (process.argv[2] === 'guard-server') {
  await serveGuards();
} else {
  const report = [
    '# What observability costs (npm run bench:observability)',
    ...machineLines(),
    '',
    ...(await measure(process.argv[2] ?? 'guard')),
  ].join('\n');
  console.log(report);
  // Only the default run (the guard in process, every variant) is the recorded one.
  if (process.argv[2] === undefined && process.env.BENCH_OBS_VARIANTS === undefined) {
    writeBlock('npm run bench:observability', report);
    process.stderr.write('BENCHMARKS.md: the "npm run bench:observability" block rewritten\n');
  }
  process.exit(0);
}

/** A controller with one POST route, `@JambonzWebhook()` on it when `guarded`. */
async function hookController(guarded) {
  const { Body, Controller, HttpCode, Post } = await import('@nestjs/common');
  const { JambonzWebhook } = await import('nestjs-jambonz-auth');
  const VERBS = [{ verb: 'say', text: 'Hello from the bench' }, { verb: 'hangup' }];
  class HookController {
    hook(body) {
      return body ? VERBS : [];
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(HookController.prototype, 'hook');
  for (const decorator of [Post('hook'), ...(guarded ? [JambonzWebhook()] : [HttpCode(200)])].reverse()) {
    decorator(HookController.prototype, 'hook', descriptor);
  }
  Reflect.defineMetadata('design:paramtypes', [Object], HookController.prototype, 'hook');
  Body()(HookController.prototype, 'hook', 0);
  Controller()(HookController);
  return HookController;
}

/** The module options of each variant (`plain` has no module). */
async function variantOptions() {
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  class NeverCollects extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const meterProvider = () => new MeterProvider({ readers: [new NeverCollects()] });
  const common = { secret: SECRET, clock: () => FIXED_T };
  return {
    guarded: common,
    events: { ...common, onDecision: () => undefined },
    metrics: { ...common, metrics: { meterProvider: meterProvider() } },
    both: { ...common, onDecision: () => undefined, metrics: { meterProvider: meterProvider() } },
    rotation: { ...common, secret: [SECRET, OLD_SECRET] },
  };
}

/** The server: one app per variant, each on its own port; prints `variant url` lines, then `ready`. */
async function serve(platform) {
  const { Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { JambonzAuthModule } = await import('nestjs-jambonz-auth');
  const options = await variantOptions();
  for (const variant of ALL_VARIANTS) {
    const imports = variant === 'plain' ? [] : [JambonzAuthModule.forRoot(options[variant])];
    class AppModule {}
    Module({ imports, controllers: [await hookController(variant !== 'plain')] })(AppModule);
    const app =
      platform === 'fastify'
        ? await NestFactory.create(AppModule, new (await import('@nestjs/platform-fastify')).FastifyAdapter(), {
            rawBody: true,
            logger: false,
          })
        : await NestFactory.create(AppModule, { rawBody: true, logger: false });
    await app.listen(0, '127.0.0.1');
    console.log(variant, (await app.getUrl()).replace('[::1]', '127.0.0.1'));
  }
  console.log('ready');
}

/** The signed webhook every variant gets: a 4 KB JSON body and its header. */
async function benchRequest() {
  const { generateSignatureHeader } = await import('nestjs-jambonz-auth');
  const body = JSON.stringify({ call_sid: 'bench', account_sid: 'AC-bench', pad: 'x'.repeat(4096 - 60) });
  return { body, header: generateSignatureHeader(body, SECRET, { timestamp: FIXED_T }) };
}

/**
 * In process, without HTTP: one guard per variant (each from its own Nest application context),
 * `canActivate` called on a fresh copy of the request Nest hands over after its body parser with
 * `{ rawBody: true }`. Waits for commands `<variant> <count>` on stdin; the decisions queued by
 * the observer go out at every 50th request and at the end, so their cost is counted.
 */
async function serveGuards() {
  const { Module } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { JambonzAuthModule, JambonzAuthGuard } = await import('nestjs-jambonz-auth');
  const { createInterface } = await import('node:readline');
  const options = await variantOptions();
  const { body, header } = await benchRequest();
  const template = {
    method: 'POST',
    url: '/hook',
    originalUrl: '/hook',
    headers: {
      host: '127.0.0.1',
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'jambonz-signature': header,
    },
    body: JSON.parse(body),
    rawBody: Buffer.from(body),
  };
  const response = { statusCode: 200, setHeader() {}, getHeader() {} };
  const guards = {};
  for (const variant of Object.keys(options)) {
    const Hook = await hookController(true);
    class AppModule {}
    Module({ imports: [JambonzAuthModule.forRoot(options[variant])], controllers: [Hook] })(AppModule);
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const guard = app.get(JambonzAuthGuard);
    const handler = Hook.prototype.hook;
    guards[variant] = (request) =>
      guard.canActivate({
        switchToHttp: () => ({ getRequest: () => request, getResponse: () => response, getNext: () => undefined }),
        getHandler: () => handler,
        getClass: () => Hook,
        getType: () => 'http',
        getArgs: () => [request, response],
        getArgByIndex: (index) => [request, response][index],
      });
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const run = async (variant, count) => {
    for (let i = 0; i < count; i++) {
      const admitted = guards[variant]({ ...template });
      if (admitted !== true && (await admitted) !== true) throw new Error(`${variant}: refused`);
      if (i % 50 === 49) await turn();
    }
    await turn();
  };
  for (const variant of Object.keys(guards)) await run(variant, Number(process.env.BENCH_OBS_WARMUP ?? 3000));
  console.log('ready');
  for await (const line of createInterface({ input: process.stdin })) {
    const [variant, count] = line.split(' ');
    await run(variant, Number(count));
    console.log(`done ${variant}`);
  }
}

/**
 * The runner: starts the server under callgrind and counts instructions per request of each variant.
 * @returns the report's lines, one per variant.
 */
async function measure(mode) {
  const inProcess = mode === 'guard';
  const ROUNDS = Number(process.env.BENCH_OBS_ROUNDS ?? 3);
  const REQUESTS = Number(process.env.BENCH_OBS_REQUESTS ?? (inProcess ? 2000 : 400));
  const WARMUP = Number(process.env.BENCH_OBS_WARMUP ?? 3000);
  const variants = (process.env.BENCH_OBS_VARIANTS ?? ALL_VARIANTS.filter((v) => !inProcess || v !== 'plain').join(','))
    .split(',')
    .filter(Boolean);
  const { body, header } = await benchRequest();
  const headers = { 'content-type': 'application/json', 'jambonz-signature': header, 'content-length': Buffer.byteLength(body) };
  const dir = mkdtempSync(join(tmpdir(), 'obs-callgrind-'));
  await requireValgrind('bench/observability.mjs');
  const server = spawnUnderCallgrind(
    dir,
    [fileURLToPath(import.meta.url), ...(inProcess ? ['guard-server'] : ['server', mode])],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = [];
  const waiters = [];
  let pending = '';
  server.on('exit', (code) => waiters.splice(0).forEach(({ reject }) => reject(new Error(`server exited with ${code}`))));
  server.stdout.on('data', (chunk) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop();
    for (const line of parts) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.match(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  const lineMatching = (match) => {
    const seen = lines.find(match);
    return seen !== undefined
      ? Promise.resolve(seen)
      : new Promise((resolve, reject) => waiters.push({ match, resolve, reject }));
  };
  await lineMatching((line) => line === 'ready');
  const urls = Object.fromEntries(lines.map((line) => line.split(' ')).filter((parts) => parts.length === 2));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const one = (url) =>
    new Promise((resolve, reject) => {
      const request = http.request(`${url}/hook`, { method: 'POST', headers, agent }, (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${response.statusCode}`))));
      });
      request.on('error', reject);
      request.end(body);
    });
  const load = async (url, count) => {
    const inFlight = [];
    for (let i = 0; i < count; i++) {
      inFlight.push(one(url));
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
  };
  const window = async (variant, count) => {
    if (!inProcess) return load(urls[variant], count);
    lines.length = 0;
    server.stdin.write(`${variant} ${count}\n`);
    await lineMatching((line) => line === `done ${variant}`);
  };
  if (!inProcess) for (const variant of variants) await load(urls[variant], WARMUP);
  const counts = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of variants) {
      const total = await countInstructions(server.pid, dir, () => window(variant, REQUESTS));
      (counts[variant] ??= []).push(total / REQUESTS);
    }
  }
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  const result = Object.fromEntries(Object.entries(counts).map(([variant, values]) => [variant, Math.round(median(values))]));
  const report = [
    `${inProcess ? 'guard in process' : `${mode} over HTTP`}: instructions per request ` +
      `(median of ${ROUNDS} x ${REQUESTS}, 4 KB signed body; the difference to guarded; [each round])`,
  ];
  for (const [variant, instructions] of Object.entries(result)) {
    const base = result.guarded;
    const delta = base && variant !== 'guarded' && variant !== 'plain' ? instructions - base : undefined;
    const spread = counts[variant].map((v) => Math.round(v)).join(' / ');
    report.push(
      `  ${variant.padEnd(9)} ${String(instructions).padStart(9)}` +
        (delta === undefined ? '' : `  ${delta >= 0 ? '+' : ''}${delta} (${((delta / base) * 100).toFixed(2)} %)`) +
        `   [${spread}]`,
    );
  }
  return report;
}
