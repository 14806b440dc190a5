// A Nest app with the same route three times, run in its own process by http.bench.mjs:
//
//   POST /bench/plain    no guard, no interceptor                      (the baseline)
//   POST /bench/noop     a no-op guard and a no-op interceptor          (Nest's own guard and
//                        interceptor machinery, to split Nest's cost from ours)
//   POST /bench/guarded  @JambonzWebhook()                              (what is measured)
//
// Every route answers 200 with the same small verb array; @HttpCode(200) on all three so that
// the only difference is the decorator. The app is created with { rawBody: true } and listens on
// 127.0.0.1 (an ephemeral port, sent to the parent over IPC). The module's clock is pinned to
// FIXED_T, so one signature stays valid for the whole run.
//
//   node bench/http.server.mjs express|fastify      (BENCH_SECRET=<secret> in the environment)
//
// Started by hand (no IPC channel), it prints its address: handy to profile the server alone,
// e.g. under `node --cpu-prof` while autocannon loads one route.
//
// Plain ESM JavaScript: decorators are applied by hand, no transpiler.
import 'reflect-metadata';
import { pathToFileURL } from 'node:url';
import { Body, Controller, HttpCode, Injectable, Module, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FIXED_T, ROUTES, SECRET } from './constants.mjs';
import { loadPackage } from './package.mjs';

const { JambonzAuthModule, JambonzWebhook } = await loadPackage();

const VERBS = [{ verb: 'say', text: 'Hello from the bench' }, { verb: 'hangup' }];

class NoopGuard {
  canActivate() {
    return true;
  }
}
Injectable()(NoopGuard);

class NoopInterceptor {
  intercept(_context, next) {
    return next.handle();
  }
}
Injectable()(NoopInterceptor);

export class BenchController {
  plain(body) {
    return body ? VERBS : [];
  }

  noop(body) {
    return body ? VERBS : [];
  }

  guarded(body) {
    return body ? VERBS : [];
  }
}

function decorateMethod(cls, name, ...decorators) {
  const proto = cls.prototype;
  for (const decorator of decorators.reverse()) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    const result = decorator(proto, name, descriptor);
    if (result) Object.defineProperty(proto, name, result);
  }
}

function decorateParam(cls, name, index, decorator) {
  decorator(cls.prototype, name, index);
}

decorateMethod(BenchController, 'plain', Post('plain'), HttpCode(200));
decorateMethod(BenchController, 'noop', Post('noop'), HttpCode(200), UseGuards(NoopGuard), UseInterceptors(NoopInterceptor));
decorateMethod(BenchController, 'guarded', Post('guarded'), HttpCode(200), JambonzWebhook());
for (const name of ['plain', 'noop', 'guarded']) decorateParam(BenchController, name, 0, Body());
Controller('bench')(BenchController);

export function createAppModule(secret) {
  class BenchModule {}
  Module({
    imports: [JambonzAuthModule.forRoot({ secret, clock: () => FIXED_T })],
    controllers: [BenchController],
    providers: [NoopGuard, NoopInterceptor],
  })(BenchModule);
  return BenchModule;
}

export async function startServer(platform, secret) {
  const module = createAppModule(secret);
  let app;
  if (platform === 'express') {
    app = await NestFactory.create(module, { rawBody: true, logger: ['error'] });
  } else if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(module, new FastifyAdapter(), { rawBody: true, logger: ['error'] });
  } else {
    throw new Error(`bench/http.server: unknown platform ${platform}`);
  }
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  return { app, port };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const platform = process.argv[2];
  const secret = process.env.BENCH_SECRET ?? SECRET;
  const { app, port } = await startServer(platform, secret);
  // The parent asks for this process's CPU time around each load run: CPU µs per request is far
  // less sensitive than req/s to other processes competing for the two cores.
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port} (routes: ${Object.values(ROUTES).join(' ')})`);
  process.on('disconnect', () => void app.close().finally(() => process.exit(0)));
  process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}
