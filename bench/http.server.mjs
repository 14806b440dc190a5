// A Nest app with the same route three times, run in its own process by http.bench.mjs (under
// plain node) and by instructions.mjs (under callgrind):
//
//   POST /bench/plain    no check at all                                  (the baseline)
//   POST /bench/floor    the handler verifies the signature by itself, and nothing more: the
//                        least any signature check can cost in this app  (what a guard is held to)
//   POST /bench/guarded  @JambonzWebhook()                               (what is measured)
//
// Every route answers 200 (@HttpCode(200) on all three) with the same small verb array. The
// app is created with { rawBody: true }, listens on 127.0.0.1 (an ephemeral port, sent to the
// parent over IPC, or printed when started by hand) and verifies with SECRET; the module's clock
// and the floor's are pinned to FIXED_T, so one signature stays valid for the whole run.
//
//   node bench/http.server.mjs express|fastify
//
// Plain ESM JavaScript: decorators are applied by hand, no transpiler.
import 'reflect-metadata';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Body, Controller, HttpCode, Module, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JambonzAuthModule, JambonzWebhook } from 'nestjs-jambonz-auth';
import { FIXED_T, forged, ROUTES, SECRET, TOLERANCE_S } from './constants.mjs';

const VERBS = [{ verb: 'say', text: 'Hello from the bench' }, { verb: 'hangup' }];
const T_DIGITS = /^\d{1,10}$/;
/** `v1=` and 64 hex digits. */
const V1_LENGTH = 67;

class BenchController {
  plain(body) {
    return body ? VERBS : [];
  }

  /**
   * The floor: the raw body, `t=<t>,v1=<hex>` split on its comma, `t` 1 to 10 digits within the
   * tolerance, one HMAC-SHA256 of `<t>.` and the body, one timingSafeEqual against the decoded
   * `v1`. Anything else is a 401, as from the guard.
   */
  floor(req) {
    const header = req.headers['jambonz-signature'];
    const [tPart = '', v1Part = '', ...more] = typeof header === 'string' ? header.split(',') : [];
    const t = tPart.slice(2);
    if (
      more.length > 0 ||
      !tPart.startsWith('t=') ||
      !T_DIGITS.test(t) ||
      Math.abs(FIXED_T - Number(t)) > TOLERANCE_S ||
      !v1Part.startsWith('v1=') ||
      v1Part.length !== V1_LENGTH
    ) {
      throw new UnauthorizedException();
    }
    const expected = Buffer.from(v1Part.slice(3), 'hex');
    const digest = createHmac('sha256', SECRET).update(`${t}.`).update(req.rawBody).digest();
    if (expected.length !== digest.length || !timingSafeEqual(digest, expected)) throw new UnauthorizedException();
    return VERBS;
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

decorateMethod(BenchController, 'plain', Post('plain'), HttpCode(200));
decorateMethod(BenchController, 'floor', Post('floor'), HttpCode(200));
// BENCH_GUARDED=noop (profiling only): the guarded route gets a guard that returns true, which
// measures what Nest's guard machinery costs by itself.
class NoopGuard {
  canActivate() {
    return true;
  }
}
const guardedBy = process.env.BENCH_GUARDED === 'noop' ? UseGuards(NoopGuard) : JambonzWebhook();
decorateMethod(BenchController, 'guarded', Post('guarded'), HttpCode(200), guardedBy);
Body()(BenchController.prototype, 'plain', 0);
Req()(BenchController.prototype, 'floor', 0);
Body()(BenchController.prototype, 'guarded', 0);
Controller('bench')(BenchController);

class BenchModule {}
Module({
  imports: [JambonzAuthModule.forRoot({ secret: SECRET, tolerance: TOLERANCE_S, clock: () => FIXED_T })],
  controllers: [BenchController],
})(BenchModule);

async function startServer(platform) {
  let app;
  if (platform === 'express') {
    app = await NestFactory.create(BenchModule, { rawBody: true, logger: ['error'] });
  } else if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(BenchModule, new FastifyAdapter(), { rawBody: true, logger: ['error'] });
  } else {
    throw new Error(`bench/http.server: unknown platform ${platform}`);
  }
  await app.listen(0, '127.0.0.1');
  return { app, port: app.getHttpServer().address().port };
}

/**
 * What the routes must answer before anything is measured: the genuine request 200 with the
 * verbs on every route; a forged signature (one hex digit changed) and a stale one 401 on the
 * floor and the guarded route.
 * @param base e.g. `http://127.0.0.1:1234`.
 * @param body a body from bodies.mjs; `header` its signature at FIXED_T.
 * @throws Error naming the route and what it answered.
 */
export async function checkRoutes(base, body, header) {
  const post = async (route, signature) => {
    const res = await fetch(base + route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'jambonz-signature': signature },
      body: body.text,
    });
    return { status: res.status, text: await res.text() };
  };
  for (const route of Object.values(ROUTES)) {
    const { status, text } = await post(route, header);
    if (status !== 200 || text !== JSON.stringify(VERBS)) {
      throw new Error(`bench/http: ${route} answered ${status} ${text.slice(0, 200)} to a genuine request`);
    }
  }
  const stale = header.replace(/^t=\d+/, `t=${FIXED_T - TOLERANCE_S - 1}`);
  for (const route of process.env.BENCH_GUARDED === 'noop' ? [ROUTES.floor] : [ROUTES.floor, ROUTES.guarded]) {
    for (const [what, signature] of [
      ['forged', forged(header)],
      ['stale', stale],
    ]) {
      const { status } = await post(route, signature);
      if (status !== 401) throw new Error(`bench/http: ${route} answered ${status} to a ${what} signature`);
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { app, port } = await startServer(process.argv[2]);
  // The parent asks for this process's CPU time around each load run: CPU µs per request is far
  // less sensitive than req/s to other processes competing for the two cores.
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
  if (process.send) process.send({ port });
  else console.log(`listening on http://127.0.0.1:${port} (routes: ${Object.values(ROUTES).join(' ')})`);
  const close = () => void app.close().finally(() => process.exit(0));
  process.on('disconnect', close);
  process.on('SIGTERM', close);
}
