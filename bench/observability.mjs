// What observability costs per request, in instructions counted by valgrind's callgrind in the
// server process: `npm run build && node bench/observability.mjs [express|fastify]` (needs
// valgrind; Debian: apt-get install valgrind).
//
// The server (this file, started with `server`) runs one Nest app per variant, each with
// `@JambonzWebhook()` on one route and a 4 KB signed body, under callgrind with instrumentation
// off. Each app is warmed up at full speed, then gets REQUESTS requests with instrumentation on,
// in rotating order over ROUNDS rounds; the medians are printed per variant, with the difference
// to `guarded` (the module with nothing observing):
//
//   plain     the same route without the module (the floor)
//   guarded   the module, nothing observing: the guard builds no decision at all
//   events    onDecision with a listener that does nothing
//   metrics   metrics: { meterProvider } on a real OpenTelemetry SDK provider whose reader
//             never collects (as between two Prometheus scrapes)
//   both      onDecision and metrics
//   rotation  two secrets, nothing else: rotation telemetry alone (on by default then)
//
// BENCH_OBS_ROUNDS=3  BENCH_OBS_REQUESTS=400  BENCH_OBS_WARMUP=3000  BENCH_OBS_VARIANTS=plain,guarded,events,metrics,both,rotation
import 'reflect-metadata';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SECRET = 'wh_secret_benchObservability01';
const OLD_SECRET = 'wh_secret_benchObservabilityOld';
const FIXED_T = 1_715_000_000;
const ALL_VARIANTS = ['plain', 'guarded', 'events', 'metrics', 'both', 'rotation'];

if (process.argv[2] === 'server') {
  await serve(process.argv[3]);
} else {
  await measure(process.argv[2] ?? 'fastify');
}

/** The server: one app per variant, each on its own port; prints `variant url` lines, then `ready`. */
async function serve(platform) {
  const { Body, Controller, HttpCode, Module, Post } = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const { JambonzAuthModule, JambonzWebhook } = await import('nestjs-jambonz-auth');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  class NeverCollects extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const VERBS = [{ verb: 'say', text: 'Hello from the bench' }, { verb: 'hangup' }];
  const decorate = (target, name, ...decorators) => {
    const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
    for (const decorator of decorators.reverse()) decorator(target.prototype, name, descriptor);
  };
  const controller = (guarded) => {
    class HookController {
      hook(body) {
        return body ? VERBS : [];
      }
    }
    decorate(HookController, 'hook', Post('hook'), ...(guarded ? [JambonzWebhook()] : [HttpCode(200)]));
    Reflect.defineMetadata('design:paramtypes', [Object], HookController.prototype, 'hook');
    Body()(HookController.prototype, 'hook', 0);
    Controller()(HookController);
    return HookController;
  };
  const meterProvider = () => new MeterProvider({ readers: [new NeverCollects()] });
  const options = {
    guarded: {},
    events: { onDecision: () => undefined },
    metrics: { metrics: { meterProvider: meterProvider() } },
    both: { onDecision: () => undefined, metrics: { meterProvider: meterProvider() } },
    rotation: { secret: [SECRET, OLD_SECRET] },
  };
  for (const variant of ALL_VARIANTS) {
    const imports =
      variant === 'plain' ? [] : [JambonzAuthModule.forRoot({ secret: SECRET, clock: () => FIXED_T, ...options[variant] })];
    class AppModule {}
    Module({ imports, controllers: [controller(variant !== 'plain')] })(AppModule);
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
  // A full collection before each measured window, so that no variant pays for another's garbage.
  const collector = http.createServer((_request, response) => {
    globalThis.gc();
    response.end();
  });
  await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
  console.log('gc', `http://127.0.0.1:${collector.address().port}`);
  console.log('ready');
}

/** The runner: starts the server under callgrind and counts instructions per request of each variant. */
async function measure(platform) {
  const run = promisify(execFile);
  const { generateSignatureHeader } = await import('nestjs-jambonz-auth');
  const ROUNDS = Number(process.env.BENCH_OBS_ROUNDS ?? 3);
  const REQUESTS = Number(process.env.BENCH_OBS_REQUESTS ?? 400);
  const WARMUP = Number(process.env.BENCH_OBS_WARMUP ?? 3000);
  const variants = (process.env.BENCH_OBS_VARIANTS ?? ALL_VARIANTS.join(',')).split(',').filter(Boolean);
  const pad = 'x'.repeat(4000);
  const body = JSON.stringify({ call_sid: 'bench', account_sid: 'AC-bench', pad }).slice(0, 4096);
  const headers = {
    'content-type': 'application/json',
    'jambonz-signature': generateSignatureHeader(body, SECRET, { timestamp: FIXED_T }),
    'content-length': Buffer.byteLength(body),
  };
  const dir = mkdtempSync(join(tmpdir(), 'obs-callgrind-'));
  const server = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(dir, 'cg.%p')}`,
      process.execPath,
      '--expose-gc',
      fileURLToPath(import.meta.url),
      'server',
      platform,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const urls = await new Promise((resolve, reject) => {
    const found = {};
    let out = '';
    server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    server.stdout.on('data', (chunk) => {
      out += chunk;
      for (const line of out.split('\n')) {
        const [variant, url] = line.split(' ');
        if (url) found[variant] = url;
        if (line === 'ready') resolve(found);
      }
    });
  });
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
  const control = (...args) => run('callgrind_control', [...args, String(server.pid)]);
  const collect = () =>
    new Promise((resolve, reject) => http.get(urls.gc, (r) => r.resume().on('end', resolve)).on('error', reject));
  for (const variant of variants) await load(urls[variant], WARMUP);
  const counts = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of variants) {
      await collect();
      await control('-z');
      await control('-i', 'on');
      await load(urls[variant], REQUESTS);
      await new Promise((resolve) => setImmediate(resolve));
      await control('-i', 'off');
      await control('-d');
      const newest = readdirSync(dir)
        .filter((name) => name.startsWith(`cg.${server.pid}.`))
        .map((name) => join(dir, name))
        .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
      const { stdout } = await run('callgrind_annotate', ['--inclusive=no', '--threshold=100', newest], {
        maxBuffer: 64 << 20,
      });
      const total = Number(
        stdout
          .split('\n')
          .find((line) => line.includes('PROGRAM TOTALS'))
          .trim()
          .split(/\s+/)[0]
          .replaceAll(',', ''),
      );
      (counts[variant] ??= []).push(total / REQUESTS);
    }
  }
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const result = Object.fromEntries(Object.entries(counts).map(([variant, values]) => [variant, Math.round(median(values))]));
  console.log(`${platform}: instructions per request (median of ${ROUNDS} x ${REQUESTS}), 4 KB signed body`);
  for (const [variant, instructions] of Object.entries(result)) {
    const base = result.guarded;
    const delta = base && variant !== 'guarded' && variant !== 'plain' ? instructions - base : undefined;
    const spread = counts[variant].map((v) => Math.round(v)).join(' / ');
    console.log(
      `  ${variant.padEnd(9)} ${String(instructions).padStart(9)}` +
        (delta === undefined ? '' : `  ${delta >= 0 ? '+' : ''}${delta} (${((delta / base) * 100).toFixed(2)} %)`) +
        `   [${spread}]`,
    );
  }
  process.exit(0);
}
