import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { Get, Logger, PayloadTooLargeException, RequestMethod, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost, MetadataScanner, Reflector, type DiscoveryService } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CapturedLogs } from '../test/support/captured-logs.js';
import { basicAuthorization } from './core/basic-credentials.js';
import { generateSignatureHeader } from './core/index.js';
import { getJambonzAuthContext } from './jambonz-auth-context.decorator.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { createJambonzAuthConfig, type JambonzAuthConfig } from './jambonz-auth.config.js';
import type { JambonzAuthModuleOptions } from './jambonz-auth-options.interface.js';
import { JambonzAuthGuard, type JambonzAuthentication } from './jambonz-auth.guard.js';
import { validateWebhookOptions } from './jambonz-auth-options.rules.js';
import { JambonzGlobalGuard } from './jambonz-global.guard.js';
import { createRoutePolicy, JambonzRoutePolicies, type JambonzRoutePolicy } from './jambonz-route.policy.js';
import { JambonzUnauthorizedException } from './jambonz-unauthorized.exception.js';
import type { WebhookRequest } from './webhook-request.interface.js';

// The guard's own decisions on one request, with the policy a subclass may hand it; the e2e
// suites (test/) run the same guard in real Nest apps over HTTP on Express and Fastify.

const SECRET = 'wh_secret_guardSpec00000001';
const CREDENTIALS = { username: 'jambonz', password: 'p:ss wörd' };
const NOW = 1_715_000_000;
const BODY = JSON.stringify({ call_sid: 'abc', account_sid: 'ACCOUNT-SID-0001' });

class CallController {
  onCall() {}
}

/** A guard that takes the route's policy from the test, as a subclass may (`policyFor` is protected for that). */
class PolicyGuard extends JambonzAuthGuard {
  policy!: JambonzRoutePolicy;
  protected override policyFor(): JambonzRoutePolicy {
    return this.policy;
  }
}

const noControllers = { getControllers: () => [] } as unknown as DiscoveryService;
const policiesOf = (config: JambonzAuthConfig) =>
  new JambonzRoutePolicies(config, noControllers, new MetadataScanner(), new Reflector());

/** A guard under `module`, for a route declared for `declared` with `route` options. */
function guardFor(module: JambonzAuthModuleOptions, declared: RequestMethod, route: object = {}) {
  const config = createJambonzAuthConfig({ clock: () => NOW, ...module });
  const host = new HttpAdapterHost();
  host.httpAdapter = new FastifyAdapter();
  const guard = new PolicyGuard(config, policiesOf(config), host);
  guard.policy = createRoutePolicy(config, validateWebhookOptions(route, 'spec'), 'CallController.onCall', declared);
  return guard;
}

/** A JSON request, as jambonz sends it, with the exact body bytes at hand (`{ rawBody: true }`). */
function request(method: string, headers: WebhookRequest['headers'] = {}): WebhookRequest {
  return {
    method,
    url: '/calls/hook?token=x',
    headers: { 'content-type': 'application/json', ...headers },
    rawBody: Buffer.from(BODY),
    body: JSON.parse(BODY),
  };
}

/** A JSON request whose body is still in its stream: the app's body parser is off. */
function streamed(method: string, headers: WebhookRequest['headers'] = {}, body = BODY): WebhookRequest {
  return Object.assign(Readable.from([Buffer.from(body)]), {
    method,
    url: '/calls/hook',
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
  });
}

/**
 * Runs the guard on `req`; answers what it answered or threw, the response, and the guard's log
 * lines. `context` builds the ExecutionContext from the handler's arguments (Nest's by default).
 */
function run(
  guard: JambonzAuthGuard,
  req: WebhookRequest,
  context: (args: unknown[]) => ExecutionContext = (args) =>
    new ExecutionContextHost(args, CallController, CallController.prototype.onCall),
) {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  const logs = new CapturedLogs();
  Logger.overrideLogger(logs);
  let outcome: unknown;
  try {
    outcome = guard.canActivate(context([req, response, () => undefined]));
  } catch (error) {
    outcome = error;
  } finally {
    Logger.overrideLogger(false);
  }
  return { outcome, response, logs: logs.entries };
}

const signed = (body = BODY) => generateSignatureHeader(body, SECRET, { timestamp: NOW });

describe('JambonzAuthGuard', () => {
  describe('without the module', () => {
    const config = createJambonzAuthConfig({ secret: SECRET });
    const cannotReach = (guard: string) =>
      `JambonzAuthModule: ${guard} cannot reach JambonzAuthModule's configuration. Import JambonzAuthModule.forRoot()/forRootAsync() ` +
      'in the module that declares the controller (or provides the guard), or register it once with isGlobal: true: ' +
      'JambonzAuthModule.forRootAsync({ isGlobal: true, useFactory, inject }).';

    it.each<[string, JambonzAuthConfig | undefined, JambonzRoutePolicies | undefined]>([
      ['no configuration and no policies', undefined, undefined],
      ['no configuration', undefined, policiesOf(config)],
      ['no policies', config, undefined],
    ])('refuses to be built with %s, naming the guard and what to import', (_case, given, policies) => {
      const host = new HttpAdapterHost();
      expect(() => new JambonzAuthGuard(given as JambonzAuthConfig, policies as JambonzRoutePolicies, host)).toThrow(
        new JambonzAuthConfigError(cannotReach('JambonzAuthGuard').slice('JambonzAuthModule: '.length)),
      );
      expect(() => new JambonzGlobalGuard(given as JambonzAuthConfig, policies as JambonzRoutePolicies, host)).toThrow(
        cannotReach('JambonzGlobalGuard'),
      );
    });
  });

  describe('answers synchronously when nothing needs to wait', () => {
    it('lets a signed request through with true, not a promise, and leaves what authenticated it', () => {
      const req = request('POST', { 'jambonz-signature': signed() });
      const { outcome, logs } = run(guardFor({ secret: SECRET }, RequestMethod.POST), req);
      expect(outcome).toBe(true);
      expect(getJambonzAuthContext(req)).toStrictEqual({
        verifiedBy: 'signature',
        timestamp: NOW,
        secretSet: 'default',
        secretIndex: 0,
        username: undefined,
        credentialSet: undefined,
        credentialIndex: undefined,
        accountSid: 'ACCOUNT-SID-0001',
        bodySource: 'raw-body',
      });
      expect(logs).toEqual([]);
    });

    it('answers a promise when a resolver picks the secrets', async () => {
      const req = request('POST', { 'jambonz-signature': signed() });
      const { outcome } = run(guardFor({ secretResolver: () => SECRET }, RequestMethod.POST), req);
      expect(outcome).toBeInstanceOf(Promise);
      await expect(outcome).resolves.toBe(true);
      expect(getJambonzAuthContext(req)?.verifiedBy).toBe('signature');
    });
  });

  describe('a request it already let through', () => {
    const module = { namedSecrets: { a: SECRET, b: 'wh_secret_guardSpec00000002' } };

    it('passes again under the same policy (the decorator on the class and the method binds it twice)', () => {
      const guard = guardFor(module, RequestMethod.POST, { secrets: 'a' });
      const req = request('POST', { 'jambonz-signature': signed() });
      expect(run(guard, req).outcome).toBe(true);
      // Checked again, it would be refused: the header is gone.
      delete req.headers['jambonz-signature'];
      expect(run(guard, req).outcome).toBe(true);
    });

    it('is checked again on a route with another policy, the one a handler hands it on to with next()', () => {
      const req = request('POST', { 'jambonz-signature': signed() });
      expect(run(guardFor(module, RequestMethod.POST, { secrets: 'a' }), req).outcome).toBe(true);
      const { outcome } = run(guardFor(module, RequestMethod.POST, { secrets: 'b' }), req);
      expect(outcome).toBeInstanceOf(JambonzUnauthorizedException);
      expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['signature_mismatch']);
      expect(getJambonzAuthContext(req)?.secretSet).toBe('a');
    });
  });

  it('refuses a GET on a route that a subclass lets require a signature alone: it cannot carry one', () => {
    const { outcome, response, logs } = run(guardFor({ secret: SECRET }, RequestMethod.POST), request('GET'));
    expect(outcome).toBeInstanceOf(JambonzUnauthorizedException);
    expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['signature_unverifiable']);
    expect(response.getHeader('www-authenticate')).toBeUndefined();
    expect(logs).toEqual([
      { level: 'warn', message: 'Refused GET /calls/hook: signature_unverifiable', context: 'JambonzAuthGuard' },
    ]);
  });

  describe('OPTIONS', () => {
    it('lets OPTIONS through unauthenticated on a route declared for OPTIONS', () => {
      const req = request('OPTIONS');
      expect(run(guardFor({ secret: SECRET }, RequestMethod.OPTIONS), req).outcome).toBe(true);
      expect(getJambonzAuthContext(req)).toBeUndefined();
    });

    it('authenticates any other method there', () => {
      const { outcome } = run(guardFor({ secret: SECRET }, RequestMethod.OPTIONS), request('POST'));
      expect(outcome).toBeInstanceOf(JambonzUnauthorizedException);
      expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['missing_signature']);
    });
  });

  describe("with 'both'", () => {
    const module = { secret: SECRET, basicAuth: CREDENTIALS };

    it('ends with the failed Basic check, without verifying the signature, and challenges for Basic', () => {
      const req = request('POST', {
        authorization: basicAuthorization({ username: 'jambonz', password: 'wrong' }),
        'jambonz-signature': signed('{"another":"body"}'),
      });
      const { outcome, response, logs } = run(guardFor(module, RequestMethod.POST), req);
      expect(outcome).toBeInstanceOf(JambonzUnauthorizedException);
      expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['credentials_mismatch']);
      expect(response.getHeader('www-authenticate')).toBe('Basic realm="jambonz", charset="UTF-8"');
      expect(logs).toEqual([
        { level: 'warn', message: 'Refused POST /calls/hook: credentials_mismatch', context: 'JambonzAuthGuard' },
      ]);
    });

    it('lets through a request with both, saying which pair and which secret', () => {
      const req = request('POST', { authorization: basicAuthorization(CREDENTIALS), 'jambonz-signature': signed() });
      expect(run(guardFor(module, RequestMethod.POST), req).outcome).toBe(true);
      expect(getJambonzAuthContext(req)).toMatchObject({
        verifiedBy: 'both',
        username: 'jambonz',
        credentialSet: 'default',
        credentialIndex: 0,
        secretSet: 'default',
        secretIndex: 0,
      });
    });
  });
  describe('reads the handler arguments by position', () => {
    /** An ExecutionContext with only what an HTTP guard needs: `switchToHttp()` is not one of them. */
    const byIndexOnly = (args: unknown[]) =>
      ({
        getArgByIndex: (index: number) => args[index],
        getClass: () => CallController,
        getHandler: () => CallController.prototype.onCall,
        switchToHttp: () => {
          throw new Error('switchToHttp() was called');
        },
      }) as unknown as ExecutionContext;

    it('takes the request from argument 0', () => {
      const req = request('POST', { 'jambonz-signature': signed() });
      expect(run(guardFor({ secret: SECRET }, RequestMethod.POST), req, byIndexOnly).outcome).toBe(true);
      expect(getJambonzAuthContext(req)?.verifiedBy).toBe('signature');
    });

    it('sets the Basic challenge on the response, argument 1', () => {
      const { outcome, response } = run(guardFor({ basicAuth: CREDENTIALS }, RequestMethod.POST), request('POST'), byIndexOnly);
      expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['missing_credentials']);
      expect(response.getHeader('www-authenticate')).toBe('Basic realm="jambonz", charset="UTF-8"');
    });
  });

  describe('the content type of a signed body', () => {
    // jambonz signs and sends application/json in UTF-8: with any other type or charset, the app's
    // parser would hand the handler something other than the bytes the signature covers.
    it.each<[string, WebhookRequest['headers']]>([
      ['text/plain', { 'content-type': 'text/plain' }],
      ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['UTF-7', { 'content-type': 'application/json; charset=utf-7' }],
      ['a structured JSON type', { 'content-type': 'application/vnd.jambonz+json' }],
      ['none', { 'content-type': undefined }],
    ])('refuses a validly signed body sent as %s with unsupported_content_type', (_case, headers) => {
      const req = request('POST', { 'jambonz-signature': signed(), ...headers });
      const { outcome, response, logs } = run(guardFor({ secret: SECRET }, RequestMethod.POST), req);
      expect(outcome).toBeInstanceOf(JambonzUnauthorizedException);
      expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['unsupported_content_type']);
      expect(response.getHeader('www-authenticate')).toBeUndefined();
      expect(getJambonzAuthContext(req)).toBeUndefined();
      expect(logs).toEqual([
        { level: 'warn', message: 'Refused POST /calls/hook: unsupported_content_type', context: 'JambonzAuthGuard' },
      ]);
    });

    it('accepts application/json with the UTF-8 charset', () => {
      const req = request('POST', { 'jambonz-signature': signed(), 'content-type': 'application/json; charset=UTF-8' });
      expect(run(guardFor({ secret: SECRET }, RequestMethod.POST), req).outcome).toBe(true);
    });

    it('reports a missing or malformed signature header first: the content type is looked at after it', () => {
      const req = request('POST', { 'content-type': 'text/plain' });
      expect(
        (run(guardFor({ secret: SECRET }, RequestMethod.POST), req).outcome as JambonzUnauthorizedException).reasons,
      ).toEqual(['missing_signature']);
    });

    it("refuses it after a passed Basic check with 'both', and lets Basic alone decide with 'either'", () => {
      const headers = {
        authorization: basicAuthorization(CREDENTIALS),
        'jambonz-signature': signed(),
        'content-type': 'text/plain',
      };
      const both = run(guardFor({ secret: SECRET, basicAuth: CREDENTIALS }, RequestMethod.POST), request('POST', headers));
      expect((both.outcome as JambonzUnauthorizedException).reasons).toEqual(['unsupported_content_type']);
      const req = request('POST', headers);
      const either = run(guardFor({ secret: SECRET, basicAuth: CREDENTIALS, require: 'either' }, RequestMethod.POST), req);
      expect(either.outcome).toBe(true);
      expect(getJambonzAuthContext(req)).toMatchObject({ verifiedBy: 'basic', accountSid: undefined });
    });
  });

  describe('a GET or HEAD that announces a body', () => {
    const module = { secret: SECRET, basicAuth: CREDENTIALS };
    const basic = { authorization: basicAuthorization(CREDENTIALS) };

    it.each<[string, string, WebhookRequest['headers']]>([
      ['GET with a Content-Length', 'GET', { 'content-length': String(BODY.length) }],
      ['HEAD with a Content-Length', 'HEAD', { 'content-length': '1' }],
      ['GET with a Transfer-Encoding', 'GET', { 'transfer-encoding': 'chunked' }],
    ])('is checked as a request with a body: %s needs the signature too', (_case, method, framing) => {
      const { outcome, response } = run(guardFor(module, RequestMethod.ALL), request(method, { ...basic, ...framing }));
      expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['missing_signature']);
      expect(response.getHeader('www-authenticate')).toBe('Basic realm="jambonz", charset="UTF-8"');
      const req = request(method, { ...basic, ...framing, 'jambonz-signature': signed() });
      expect(run(guardFor(module, RequestMethod.ALL), req).outcome).toBe(true);
      expect(getJambonzAuthContext(req)).toMatchObject({ verifiedBy: 'both', accountSid: 'ACCOUNT-SID-0001' });
    });

    it.each<[string, string, WebhookRequest['headers']]>([
      ['GET without framing headers', 'GET', {}],
      ['GET with Content-Length: 0', 'GET', { 'content-length': '0' }],
      ['HEAD without framing headers', 'HEAD', {}],
    ])('is not: %s passes on Basic alone', (_case, method, framing) => {
      const req = request(method, { ...basic, ...framing });
      expect(run(guardFor(module, RequestMethod.ALL), req).outcome).toBe(true);
      expect(getJambonzAuthContext(req)).toMatchObject({ verifiedBy: 'basic', username: 'jambonz' });
    });
  });

  describe('after Basic alone', () => {
    const basic = { authorization: basicAuthorization(CREDENTIALS) };

    it('does not report the account_sid of a body no signature covered', () => {
      const req = request('POST', basic);
      expect(run(guardFor({ basicAuth: CREDENTIALS }, RequestMethod.POST), req).outcome).toBe(true);
      expect(getJambonzAuthContext(req)).toStrictEqual({
        verifiedBy: 'basic',
        timestamp: undefined,
        secretSet: undefined,
        secretIndex: undefined,
        username: 'jambonz',
        credentialSet: 'default',
        credentialIndex: 0,
        accountSid: undefined,
        bodySource: undefined,
      });
    });

    it('reads a body nobody has read, and gives the handler its JSON', async () => {
      const req = streamed('POST', basic);
      const { outcome } = run(guardFor({ basicAuth: CREDENTIALS }, RequestMethod.POST), req);
      expect(outcome).toBeInstanceOf(Promise);
      await expect(outcome).resolves.toBe(true);
      expect(req.rawBody).toEqual(Buffer.from(BODY));
      expect(req.body).toEqual(JSON.parse(BODY));
      expect(getJambonzAuthContext(req)).toMatchObject({ verifiedBy: 'basic', accountSid: undefined, bodySource: undefined });
    });

    it('answers at once when no body is announced', () => {
      const req = Object.assign(streamed('GET', basic, ''), { headers: { ...basic } });
      const { outcome } = run(guardFor({ basicAuth: CREDENTIALS }, RequestMethod.GET), req);
      expect(outcome).toBe(true);
      expect(req.rawBody).toBeUndefined();
      expect(req.body).toBeUndefined();
    });

    it('answers 413 for an unread body over maxBodyBytes, without letting the request through', async () => {
      const req = streamed('POST', basic);
      const { outcome } = run(guardFor({ basicAuth: CREDENTIALS, maxBodyBytes: 10 }, RequestMethod.POST), req);
      await expect(outcome).rejects.toBeInstanceOf(PayloadTooLargeException);
      expect(getJambonzAuthContext(req)).toBeUndefined();
    });
  });

  // The observer hears the module's decisions only: an error that is not one of its refusals (a
  // subclass's bug, say) propagates as it was thrown, and no decision is made up for it.
  it.each(['throws', 'rejects'] as const)(
    'passes on, as it is and unreported, an error of its own that a subclass %s while authenticating',
    async (how) => {
      const bug = new Error('a bug in a subclass');
      class FaultyGuard extends PolicyGuard {
        protected override authenticate(): JambonzAuthentication | Promise<JambonzAuthentication> {
          if (how === 'rejects') return Promise.reject(bug);
          throw bug;
        }
      }
      const decisions: unknown[] = [];
      const config = createJambonzAuthConfig({
        secret: SECRET,
        clock: () => NOW,
        onDecision: (decision: unknown) => void decisions.push(decision),
      });
      const guard = new FaultyGuard(config, policiesOf(config), new HttpAdapterHost());
      guard.policy = createRoutePolicy(config, validateWebhookOptions({}, 'spec'), 'CallController.onCall', RequestMethod.POST);
      const { outcome } = run(guard, request('POST', { 'jambonz-signature': signed() }));
      expect(await Promise.resolve(outcome).catch((error: unknown) => error)).toBe(bug);
      // The listener runs after the current I/O phase: let it.
      await new Promise(setImmediate);
      expect(decisions).toEqual([]);
    },
  );

  it('hands the secret resolver the body read from the stream, before the signature is checked', async () => {
    const asked: unknown[] = [];
    const resolver = ({ accountSid, body }: { accountSid?: string; body: unknown }) => {
      asked.push([accountSid, body]);
      return SECRET;
    };
    const req = streamed('POST', { 'jambonz-signature': signed() });
    const { outcome } = run(guardFor({ secretResolver: resolver }, RequestMethod.POST), req);
    await expect(outcome).resolves.toBe(true);
    expect(asked).toEqual([['ACCOUNT-SID-0001', JSON.parse(BODY)]]);
    expect(getJambonzAuthContext(req)).toMatchObject({
      verifiedBy: 'signature',
      bodySource: 'stream',
      accountSid: 'ACCOUNT-SID-0001',
    });
  });

  it('refuses every request to an undecorated route whose module policy cannot be met, saying why once', () => {
    class UndecoratedController {
      @Get('status')
      onStatus() {}
    }
    const config = createJambonzAuthConfig({ secret: SECRET, clock: () => NOW });
    const host = new HttpAdapterHost();
    host.httpAdapter = new FastifyAdapter();
    const guard = new JambonzAuthGuard(config, policiesOf(config), host);
    const atStatus = (args: unknown[]) =>
      new ExecutionContextHost(args, UndecoratedController, UndecoratedController.prototype.onStatus);
    const first = run(guard, request('GET'), atStatus);
    const second = run(guard, request('POST', { 'jambonz-signature': signed() }), atStatus);
    for (const { outcome, response } of [first, second]) {
      expect(outcome).toBeInstanceOf(JambonzUnauthorizedException);
      expect((outcome as JambonzUnauthorizedException).reasons).toEqual(['signature_unverifiable']);
      expect(response.getHeader('www-authenticate')).toBeUndefined();
    }
    expect(first.logs.map(({ level, context }) => [level, context])).toEqual([
      ['error', 'JambonzAuthGuard'],
      ['warn', 'JambonzAuthGuard'],
    ]);
    expect(first.logs[0]!.message).toMatch(
      /^JambonzAuthModule: UndecoratedController\.onStatus takes GET requests .* It binds JambonzAuthGuard without @JambonzWebhook\(\): every request is refused\.$/,
    );
    expect(second.logs).toEqual([
      { level: 'warn', message: 'Refused POST /calls/hook: signature_unverifiable', context: 'JambonzAuthGuard' },
    ]);
  });
});
