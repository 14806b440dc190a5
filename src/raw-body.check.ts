import { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import type { JambonzAuthConfig } from './jambonz-auth.config.js';
import { JAMBONZ_AUTH_CONFIG, JAMBONZ_ROUTE_POLICIES, SIGNATURE_HEADER } from './jambonz-auth.constants.js';
import type { JambonzRoutePolicies } from './jambonz-route.policy.js';
import { RAW_BODY_FIX } from './request-body.reader.js';
import { capturedBodies } from './request-state.js';

/**
 * Makes sure, before the application serves, that signed webhooks will be verified over the
 * exact bytes received, whatever the platform:
 * - Fastify: a `preParsing` hook copies the body of each request that carries a
 *   `Jambonz-Signature` as Fastify reads it (Fastify's documented way to see the payload stream),
 *   so exact bytes are there with or without `rawBody: true`, even with `bodyParser: false`. It
 *   stops copying once it sees that the app's parser keeps `req.rawBody` itself. Added at module
 *   initialisation: Fastify attaches hooks to every route when it becomes ready, after that.
 * - Express: the app's own body parsers run before any guard, and Nest exposes no way to read its
 *   `rawBody` option, so the check runs the body parser middleware Express would run for each
 *   signed webhook route on an in-memory request (nothing else runs: no route, no other
 *   middleware, no socket, no response) and looks at what they leave. When only
 *   `JSON.stringify(req.body)` would be left to verify and the app did not opt into that
 *   (`allowReserializedBody`), the application stops with the one-line fix. When the check cannot
 *   tell (an app's own `verify` refusing the unsigned probe, say), it warns and lets the guard
 *   decide per request; it never stops an application it is unsure about. The app's own parsers,
 *   and their `verify` callbacks, run once on the probe body `{"probe": 1.0}`.
 */
@Injectable()
export class RawBodyCheck implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('JambonzAuthModule');

  constructor(
    @Inject(JAMBONZ_AUTH_CONFIG) private readonly config: JambonzAuthConfig,
    @Inject(JAMBONZ_ROUTE_POLICIES) private readonly policies: JambonzRoutePolicies,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Adds the Fastify capture hook (before Fastify is ready). */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() === 'fastify') {
      captureSignedBodies(adapter.getInstance());
    }
  }

  /**
   * Checks the Express app's body parsers, at the last step of `init()`, before `listen()`
   * opens the port.
   * @throws JambonzAuthConfigError when a signed webhook route would get no raw bytes and the
   *   app did not set `allowReserializedBody`.
   */
  async onApplicationBootstrap(): Promise<void> {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express' || this.config.allowReserializedBody) return;
    const layers = routerLayers(adapter.getInstance<ExpressApp>());
    for (const { route, path } of this.policies.signedRoutes()) {
      const problem = layers ? await dryRunBodyParsers(layers, routePathIn(layers, path)) : 'unknown';
      if (problem === 'reserialized') {
        throw new JambonzAuthConfigError(
          `${route} verifies signatures, but the app's JSON body parser keeps no raw body, so only JSON.stringify(req.body) ` +
            `would be left to verify: ${RAW_BODY_FIX}. (To verify the re-serialised body instead, set allowReserializedBody: true.)`,
        );
      }
      if (problem === 'unknown') {
        this.logger.warn(
          `Could not tell at bootstrap whether ${route} receives the exact body bytes (a custom body parser?). ` +
            'Each request without them is refused (body_unavailable).',
        );
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Fastify

/** The part of a Fastify instance the hook uses. */
interface FastifyLike {
  addHook(
    name: 'preParsing',
    hook: (
      request: CapturingRequest,
      reply: unknown,
      payload: Readable,
      done: (error: Error | null, stream?: Readable) => void,
    ) => void,
  ): unknown;
}

type CapturingRequest = { headers: Record<string, unknown> };

/**
 * The bytes the Fastify hook copied, and the hook's switch: the reader turns it off when it sees
 * that the app's own parser keeps `req.rawBody` (`rawBody: true`), so that such an app pays for
 * one copy, on its first signed request, and no more.
 */
export interface CapturedBody {
  readonly bytes: Buffer;
  readonly hook: { needed: boolean };
}

/** Fastify instances already hooked (several modules, or the ESM and CommonJS builds, add one hook). */
const hooked = new WeakSet<object>();

function captureSignedBodies(fastify: FastifyLike): void {
  if (hooked.has(fastify)) return;
  hooked.add(fastify);
  const hook = { needed: true };
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    if (!hook.needed || request.headers[SIGNATURE_HEADER] === undefined) {
      done(null, payload);
      return;
    }
    const chunks: Buffer[] = [];
    const copy = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        capturedBodies.set(request, { bytes: Buffer.concat(chunks), hook });
        callback();
      },
    });
    // Fastify reads the encoded length of a replaced payload stream from this property.
    (copy as Transform & { receivedEncodedLength?: unknown }).receivedEncodedLength = (
      payload as Readable & { receivedEncodedLength?: unknown }
    ).receivedEncodedLength;
    payload.once('error', (error) => copy.destroy(error));
    done(null, payload.pipe(copy));
  });
}

// ---------------------------------------------------------------------------------------------
// Express

/** The part of an Express 5 application the check reads: its router's layers. */
interface ExpressApp {
  readonly router?: { readonly stack?: readonly ExpressLayer[] };
}

interface ExpressLayer {
  readonly route?: { readonly path?: unknown };
  readonly handle?: ((req: unknown, res: unknown, next: (error?: unknown) => void) => void) & { readonly name?: string };
  match?(path: string): boolean;
}

/**
 * What is wrong with what the guard will find on a signed request: only the parsed body, or who
 * knows. Nothing (undefined) when it will find the exact bytes.
 */
type BodyProblem = 'reserialized' | 'unknown';

/**
 * The names body-parser gives the middleware it returns (`express.json()` is `jsonParser`...).
 * Nest's own `ExpressAdapter` finds its parsers by these names too.
 */
const BODY_PARSERS: ReadonlySet<string | undefined> = new Set(['jsonParser', 'rawParser', 'textParser', 'urlencodedParser']);

/** Not what a parse/stringify round trip gives back, so a re-serialised body cannot pass for exact bytes. */
const PROBE = Buffer.from('{"probe": 1.0}');

/** The layers of the app's router, or undefined when it is not shaped as Express 5's. */
function routerLayers(express: ExpressApp): readonly ExpressLayer[] | undefined {
  const stack = express.router?.stack;
  return Array.isArray(stack) ? stack : undefined;
}

/**
 * Where Express serves a route whose path (from Nest's metadata, without the global prefix or
 * version) is `path`: the router's route layer that ends with it, else `path` itself.
 */
function routePathIn(layers: readonly ExpressLayer[], path: string): string {
  const declared = layers.map((layer) => layer.route?.path).find((p) => typeof p === 'string' && p.endsWith(path));
  // The shortest URL the route serves: a parameter or a wildcard stands for any segment, so one
  // literal segment matches it; an optional part (`{...}`) may be left out.
  return (typeof declared === 'string' ? declared : path).replace(/\{[^}]*\}/g, '').replace(/:[^/]+|\*\w*/g, 'x');
}

/** Runs the body parsers Express would run for `POST path` on a request that exists only in memory. */
async function dryRunBodyParsers(layers: readonly ExpressLayer[], path: string): Promise<BodyProblem | undefined> {
  const parsers = layers
    .filter((layer) => !layer.route && BODY_PARSERS.has(layer.handle?.name) && layer.match?.(path))
    .map((layer) => layer.handle!);
  // Body parsers treat a request whose socket is gone as finished: this one stays open.
  const request = Object.assign(new IncomingMessage(new PassThrough() as never), {
    method: 'POST',
    url: path,
    complete: false,
  }) as IncomingMessage & {
    rawBody?: unknown;
    body?: unknown;
  };
  request.headers = { 'content-type': 'application/json', 'content-length': String(PROBE.length) };
  request.push(PROBE);
  request.push(null);
  const response = new ServerResponse(request);
  for (const parser of parsers) {
    // Express runs them all, in order. Once one has read the body, Node destroys the request's
    // socket (it never completes), so body-parser's others take the request for finished.
    if (!(await runParser(parser, request, response))) return 'unknown';
  }
  if (request.rawBody instanceof Uint8Array) return Buffer.from(request.rawBody).equals(PROBE) ? undefined : 'unknown';
  if (typeof request.rawBody === 'string') return request.rawBody === PROBE.toString() ? undefined : 'unknown';
  if (request.body instanceof Uint8Array) return undefined;
  if (!request.readableDidRead) {
    // A JSON parser that left a JSON body unread was not fooled by the in-memory request.
    return parsers.some((parser) => parser.name === 'jsonParser') ? 'unknown' : undefined;
  }
  return typeof request.body === 'object' && request.body !== null ? 'reserialized' : 'unknown';
}

/** @returns false when the parser failed (an app's `verify` refusing the probe) or never called back. */
function runParser(handle: NonNullable<ExpressLayer['handle']>, request: unknown, response: unknown): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 1000);
    timer.unref();
    try {
      handle(request, response, (error?: unknown) => {
        clearTimeout(timer);
        resolve(error === undefined);
      });
    } catch {
      clearTimeout(timer);
      resolve(false);
    }
  });
}
