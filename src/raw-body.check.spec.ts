import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import express, { json, raw, text, urlencoded, type Express, type NextFunction, type Request, type Response } from 'express';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { createJambonzAuthConfig } from './jambonz-auth.config.js';
import type { JambonzRoutePolicies, SignedRoute } from './jambonz-route.policy.js';
import { RawBodyCheck } from './raw-body.check.js';
import { capturedBodies } from './request-state.js';

const SECRET = 'wh_secret_rawBodyCheckSpec01';
const ROUTE = 'CallController.onCall';
/** The bytes the check feeds the app's parsers. */
const PROBE = '{"probe": 1.0}';

const STOPS =
  `JambonzAuthModule: ${ROUTE} verifies signatures, but the app's JSON body parser keeps no raw body, so only JSON.stringify(req.body) ` +
  'would be left to verify: create the app with NestFactory.create(AppModule, { rawBody: true }). ' +
  '(To verify the re-serialised body instead, set allowReserializedBody: true.)';
const UNSURE =
  `Could not tell at bootstrap whether ${ROUTE} receives the exact body bytes (a custom body parser?). ` +
  'Each request without them is refused (body_unavailable).';

/** The check of a module with `options`, on an app served by `adapter`, whose signed routes are `routes`. */
function check(adapter: { getType(): string; getInstance(): unknown } | undefined, routes: SignedRoute[], options: object = {}) {
  const policies = { signedRoutes: () => routes } as unknown as JambonzRoutePolicies;
  return new RawBodyCheck(createJambonzAuthConfig({ secret: SECRET, ...options }), policies, {
    httpAdapter: adapter,
  } as HttpAdapterHost);
}

const expressAdapter = (instance: unknown) => ({ getType: () => 'express', getInstance: () => instance });

/** What the check says at bootstrap about the signed route at `path` of `app`: its error, and the lines it logs. */
async function bootstrap(app: unknown, path = '/call', options: object = {}) {
  const logs = new CapturedLogs();
  Logger.overrideLogger(logs);
  try {
    await check(expressAdapter(app), [{ route: ROUTE, path }], options).onApplicationBootstrap();
    return { error: undefined, logs: logs.entries };
  } catch (error) {
    return { error, logs: logs.entries };
  } finally {
    Logger.overrideLogger(false);
  }
}

/** An Express app with `middleware` in front of a POST route at `routePath` that counts its calls. */
function appWith(
  middleware: ((req: Request, res: Response, next: NextFunction) => void)[],
  routePath = '/call',
): Express & { calls: number } {
  const app = Object.assign(express(), { calls: 0 });
  for (const use of middleware) app.use(use);
  app.post(routePath, (_req, res) => {
    app.calls += 1;
    res.end();
  });
  return app;
}

/** Each way the check can end, as the app sees it. */
const EXACT = { error: undefined, logs: [] };
const UNKNOWN = { error: undefined, logs: [{ level: 'warn', message: UNSURE, context: 'JambonzAuthModule' }] };

async function expectStops(result: Promise<{ error: unknown }>): Promise<void> {
  const { error } = await result;
  expect(error).toBeInstanceOf(JambonzAuthConfigError);
  expect((error as Error).message).toBe(STOPS);
}

/** A request as a body parser's `verify` gets it. */
type WithRawBody = IncomingMessage & { rawBody?: unknown };

/** A body parser `verify` that keeps the exact bytes the way Nest's `rawBody: true` does. */
const keepRawBody = (req: WithRawBody, _res: unknown, buffer: Buffer) => {
  req.rawBody = buffer;
};

describe('RawBodyCheck on Express', () => {
  it('lets an app whose JSON parser keeps the raw body start, without a word', async () => {
    expect(await bootstrap(appWith([json({ verify: keepRawBody })]))).toEqual(EXACT);
  });

  it('accepts a raw body kept as the same text, and doubts one that differs from the bytes received', async () => {
    const asText = (req: WithRawBody, _res: unknown, buffer: Buffer) => {
      req.rawBody = buffer.toString('utf8');
    };
    expect(await bootstrap(appWith([json({ verify: asText })]))).toEqual(EXACT);
    const altered = (req: WithRawBody, _res: unknown, buffer: Buffer) => {
      req.rawBody = buffer.toString('utf8').replace('1.0', '1');
    };
    expect(await bootstrap(appWith([json({ verify: altered })]))).toEqual(UNKNOWN);
    const shortened = (req: WithRawBody, _res: unknown, buffer: Buffer) => {
      req.rawBody = buffer.subarray(1);
    };
    expect(await bootstrap(appWith([json({ verify: shortened })]))).toEqual(UNKNOWN);
  });

  it('stops an app whose JSON parser keeps no raw body, with the one-line fix', async () => {
    await expectStops(bootstrap(appWith([json()])));
  });

  it('lets it start when it opted into verifying the re-serialised body', async () => {
    expect(await bootstrap(appWith([json()]), '/call', { allowReserializedBody: true })).toEqual(EXACT);
  });

  it('lets an app whose parser leaves the body as bytes start (express.raw), even with a JSON parser after it', async () => {
    expect(await bootstrap(appWith([raw({ type: 'application/json' })]))).toEqual(EXACT);
    expect(await bootstrap(appWith([raw({ type: 'application/json' }), json()]))).toEqual(EXACT);
  });

  it('runs every parser in order, as Express would', async () => {
    await expectStops(bootstrap(appWith([urlencoded(), json()])));
    await expectStops(bootstrap(appWith([text({ type: 'text/plain' }), json(), raw({ type: 'application/json' })])));
  });

  it('lets an app without body parsers start: the guard reads the stream itself (bodyParser: false)', async () => {
    expect(await bootstrap(appWith([]))).toEqual(EXACT);
    expect(await bootstrap(appWith([urlencoded()]))).toEqual(EXACT);
  });

  it('doubts a JSON parser that leaves a JSON body unread', async () => {
    expect(await bootstrap(appWith([json({ type: 'text/plain' })]))).toEqual(UNKNOWN);
    expect(await bootstrap(appWith([urlencoded(), json({ type: 'text/plain' })]))).toEqual(UNKNOWN);
    expect(await bootstrap(appWith([json({ type: 'text/plain' }), urlencoded()]))).toEqual(UNKNOWN);
  });

  it('doubts a parser that leaves something other than an object', async () => {
    expect(await bootstrap(appWith([text({ type: 'application/json' })]))).toEqual(UNKNOWN);
    const consumesToNull = Object.defineProperty(
      (req: Request, _res: Response, next: NextFunction) => {
        req.resume();
        req.on('end', () => {
          req.body = null;
          next();
        });
      },
      'name',
      { value: 'jsonParser' },
    );
    expect(await bootstrap(appWith([consumesToNull]))).toEqual(UNKNOWN);
  });

  it('doubts, and does not stop, an app whose verify refuses the unsigned probe even after keeping its bytes', async () => {
    const refuses = (req: WithRawBody, res: unknown, buffer: Buffer) => {
      keepRawBody(req, res, buffer);
      throw new Error('unsigned');
    };
    expect(await bootstrap(appWith([json({ verify: refuses })]))).toEqual(UNKNOWN);
  });

  it("runs the app's parsers on the probe, once, and nothing else: no other middleware, no route", async () => {
    const seen: string[] = [];
    const spy = (_req: Request, _res: Response, next: NextFunction) => {
      seen.push('middleware');
      next();
    };
    const verify = (req: WithRawBody, res: unknown, buffer: Buffer) => {
      seen.push(buffer.toString('utf8'));
      keepRawBody(req, res, buffer);
    };
    const app = appWith([spy, json({ verify }), json({ verify })]);
    expect(await bootstrap(app)).toEqual(EXACT);
    expect(seen).toEqual([PROBE]);
    expect(app.calls).toBe(0);
  });

  it('runs only the parsers mounted where the route is served, global prefix and parameters included', async () => {
    const mounted = (mount: string, routePath: string) => {
      const app = express();
      app.use(mount, json());
      app.post(routePath, (_req, res) => res.end());
      return app;
    };
    // Nest gives the path without its global prefix: the route's own layer gives it back.
    await expectStops(bootstrap(mounted('/api', '/api/call'), '/call'));
    await expectStops(bootstrap(mounted('/api/call/x', '/api/call/:sid'), '/call/:sid'));
    await expectStops(bootstrap(mounted('/files/x', '/files/*path'), '/files/*path'));
    await expectStops(bootstrap(mounted('/call', '/call{/:leg}'), '/call{/:leg}'));
    await expectStops(bootstrap(mounted('/v2/call', '/v2/call{.:ext}'), '/call{.:ext}'));
    // A parser mounted elsewhere never sees the route's requests.
    expect(await bootstrap(mounted('/other', '/api/call'), '/call')).toEqual(EXACT);
    expect(await bootstrap(mounted('/call/x/y', '/call/:sid'), '/call/:sid')).toEqual(EXACT);
  });

  it('falls back to the path it was given when no route of the router ends with it', async () => {
    const app = express();
    app.use('/hooks', json());
    await expectStops(bootstrap(app, '/hooks/call'));
    expect(await bootstrap(app, '/elsewhere')).toEqual(EXACT);
  });

  it('doubts, and never throws on, a router it does not know', async () => {
    const jsonParser = Object.defineProperty(() => undefined, 'name', { value: 'jsonParser' });
    for (const instance of [
      {},
      { router: {} },
      { router: { stack: 'layers' } },
      { router: { stack: [{}] } },
      { router: { stack: [{ handle: jsonParser }] } },
    ]) {
      const expected = Array.isArray(instance.router?.stack) ? EXACT : UNKNOWN;
      expect(await bootstrap(instance)).toEqual(expected);
    }
  });

  describe('with a parser that fails', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    const named = (name: string, handle: (req: Request, res: Response, next: NextFunction) => void) =>
      Object.defineProperty(handle, 'name', { value: name });

    it('doubts a parser that never calls back, after a second', async () => {
      const result = bootstrap(appWith([named('urlencodedParser', () => undefined)]));
      await jest.advanceTimersByTimeAsync(999);
      let settled = false;
      void result.then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(await result).toEqual(UNKNOWN);
    });

    it('doubts a parser that throws, at once', async () => {
      const throwing = named('urlencodedParser', () => {
        throw new Error('broken parser');
      });
      expect(await bootstrap(appWith([throwing]))).toEqual(UNKNOWN);
    });
  });
});

describe('RawBodyCheck elsewhere', () => {
  it('does nothing without an HTTP adapter, or on another platform', async () => {
    await expect(check(undefined, [{ route: ROUTE, path: '/call' }]).onApplicationBootstrap()).resolves.toBeUndefined();
    check(undefined, []).onModuleInit();
    const logs = new CapturedLogs();
    Logger.overrideLogger(logs);
    try {
      const other = { getType: () => 'fastify', getInstance: () => ({}) };
      await check(other, [{ route: ROUTE, path: '/call' }]).onApplicationBootstrap();
      check({ getType: () => 'express', getInstance: () => ({}) }, []).onModuleInit();
    } finally {
      Logger.overrideLogger(false);
    }
    expect(logs.entries).toEqual([]);
  });
});

describe('RawBodyCheck on Fastify: the capture hook', () => {
  type Hook = (
    request: Record<PropertyKey, unknown>,
    reply: unknown,
    payload: Readable,
    done: (error: Error | null, stream?: Readable) => void,
  ) => void;

  /** The preParsing hook the check adds to a Fastify instance, and how many it added. */
  function hookOf(
    fastify = {
      hooks: [] as [string, Hook][],
      addHook(name: string, hook: Hook) {
        this.hooks.push([name, hook]);
      },
    },
  ) {
    check({ getType: () => 'fastify', getInstance: () => fastify }, []).onModuleInit();
    return fastify;
  }

  /** Runs one request through the hook: the stream it hands Fastify, read to the end. */
  async function through(hook: Hook, headers: Record<string, unknown>, chunks: string[]) {
    const request: Record<PropertyKey, unknown> = { headers };
    const payload = Object.assign(new PassThrough(), { receivedEncodedLength: 42 });
    const stream = await new Promise<Readable>((resolve) => hook(request, {}, payload, (_error, given) => resolve(given!)));
    for (const chunk of chunks) payload.write(chunk);
    payload.end();
    const read: Buffer[] = [];
    for await (const chunk of stream) read.push(chunk as Buffer);
    return {
      request,
      stream,
      payload,
      read: Buffer.concat(read).toString('utf8'),
      captured: capturedBodies.get(request),
    };
  }

  it('adds one preParsing hook per Fastify instance', () => {
    const fastify = hookOf();
    hookOf(fastify);
    expect(fastify.hooks.map(([name]) => name)).toEqual(['preParsing']);
  });

  it('copies the body of a signed request as Fastify reads it, passing every byte on', async () => {
    const [[, hook]] = hookOf().hooks;
    const { read, captured, stream } = await through(hook!, { 'jambonz-signature': 't=1,v1=00' }, ['{"a":', '"é"}']);
    expect(read).toBe('{"a":"é"}');
    expect(captured?.bytes.toString('utf8')).toBe('{"a":"é"}');
    expect(captured?.hook.needed).toBe(true);
    expect((stream as Readable & { receivedEncodedLength?: number }).receivedEncodedLength).toBe(42);
  });

  it('leaves an unsigned request alone, and every request once the app keeps raw bodies itself', async () => {
    const [[, hook]] = hookOf().hooks;
    const unsigned = await through(hook!, {}, ['{}']);
    expect(unsigned.stream).toBe(unsigned.payload);
    expect(unsigned.captured).toBeUndefined();
    const first = await through(hook!, { 'jambonz-signature': 't=1,v1=00' }, ['{}']);
    first.captured!.hook.needed = false;
    const later = await through(hook!, { 'jambonz-signature': 't=1,v1=00' }, ['{}']);
    expect(later.stream).toBe(later.payload);
    expect(later.captured).toBeUndefined();
  });

  it('fails the copy when the request stream fails, so Fastify sees the error', async () => {
    const [[, hook]] = hookOf().hooks;
    const payload = new PassThrough();
    const stream = await new Promise<Readable>((resolve) =>
      hook!({ headers: { 'jambonz-signature': 't=1' } }, {}, payload, (_e, s) => resolve(s!)),
    );
    const failed = new Promise((resolve) => stream.once('error', resolve));
    payload.destroy(new Error('connection reset'));
    expect(await failed).toEqual(new Error('connection reset'));
  });
});
