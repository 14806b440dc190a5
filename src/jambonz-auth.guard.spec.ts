import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Logger, RequestMethod } from '@nestjs/common';
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
import { JambonzAuthGuard } from './jambonz-auth.guard.js';
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

/** A request with the exact body bytes at hand (`{ rawBody: true }`). */
function request(method: string, headers: WebhookRequest['headers'] = {}): WebhookRequest {
  return { method, url: '/calls/hook?token=x', headers, rawBody: Buffer.from(BODY), body: JSON.parse(BODY) };
}

/** Runs the guard on `req`; answers what it answered or threw, the response, and the guard's log lines. */
function run(guard: JambonzAuthGuard, req: WebhookRequest) {
  const response = new ServerResponse(new IncomingMessage(new Socket()));
  const context = new ExecutionContextHost([req, response, () => undefined], CallController, CallController.prototype.onCall);
  const logs = new CapturedLogs();
  Logger.overrideLogger(logs);
  let outcome: unknown;
  try {
    outcome = guard.canActivate(context);
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
});
