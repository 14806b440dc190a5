import { BadRequestException, Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { isJambonzAuthError, parseSignatureHeader, verifyParsedSignature, type JambonzAuthReason } from './core/index.js';
import type { JambonzAuthContext } from './jambonz-auth-context.js';
import { JAMBONZ_AUTH_CONFIG, JAMBONZ_AUTH_CONTEXT, SIGNATURE_HEADER } from './jambonz-auth.constants.js';
import type { JambonzAuthConfig } from './jambonz-auth-options.validator.js';
import { createRoutePolicy, findRoutePolicy, type JambonzAuthChecks, type JambonzRoutePolicy } from './jambonz-route-policy.js';
import { JambonzUnauthorizedException } from './jambonz-unauthorized.exception.js';
import { RequestBodyReader, type RequestBodySource } from './request-body.reader.js';
import { accountSidOf, WebhookSecrets } from './webhook-secrets.js';
import { headerValue, requestPath, type WebhookRequest } from './webhook-request.js';

/** What a verified signature tells about the request. */
export interface VerifiedRequestSignature {
  /** `t`, Unix seconds. */
  readonly timestamp: number;
  /** The `v1` that matched (32 bytes). */
  readonly signature: Buffer;
  /** Where the verified bytes came from. */
  readonly bodySource: RequestBodySource;
  /** The module read the body from the stream and it was not the JSON its type says (answered 400 once authenticated). */
  readonly invalidJson: boolean;
}

type AuthenticatedRequest = WebhookRequest & { [JAMBONZ_AUTH_CONTEXT]?: JambonzAuthContext };

/** What {@link JambonzAuthGuard.authenticate} found. */
export interface JambonzAuthentication {
  /** What authenticated the request, for the handler (`@JambonzAuth()`). */
  readonly auth: JambonzAuthContext;
  /** The verified `v1` (32 bytes), when a signature was checked; replay protection keys on it. */
  readonly signature: Buffer | undefined;
}

/**
 * Lets a request reach a `@JambonzWebhook()` route only when it proves it comes from jambonz:
 * a valid `Jambonz-Signature` over the exact body bytes, valid Basic credentials, or both, as
 * the route's policy requires (see `JambonzAuthCheck`). Bound by `@JambonzWebhook()`; use it
 * directly only through that decorator, which also binds the interceptor and the options.
 *
 * - OPTIONS passes unauthenticated while `allowOptionsRequests` holds (jambonz's unsigned
 *   discovery of the application's environment variables).
 * - GET and HEAD carry no body, so only Basic can authenticate them.
 * - A failure throws {@link JambonzUnauthorizedException} (401, a body that says nothing about
 *   why) with `WWW-Authenticate: Basic` when Basic would have been accepted, and logs the reason
 *   codes at `warn` level. Nothing fails open: an unexpected error propagates, it never passes.
 * - With replay protection on, a verified signature is claimed in the replay store before the
 *   handler runs (see `JambonzReplayOptions`).
 * - On success, the request's {@link JambonzAuthContext} is stored for `@JambonzAuth()`.
 *
 * The steps are protected methods, for subclasses that need to change one.
 */
@Injectable()
export class JambonzAuthGuard implements CanActivate {
  /** Where refusals (`warn`, with reason codes) and misconfigurations (`error`) are logged. */
  protected readonly logger = new Logger('JambonzAuthGuard');
  // By class, then handler: an inherited handler can sit under controllers with different options.
  private readonly policies = new WeakMap<object, WeakMap<object, JambonzRoutePolicy>>();
  private readonly bodyReader: RequestBodyReader;
  private readonly secrets: WebhookSecrets;
  private readonly warnedRoutes = new WeakSet<object>();

  constructor(
    /** The module's validated configuration. */
    @Inject(JAMBONZ_AUTH_CONFIG) protected readonly config: JambonzAuthConfig,
    /** Reads `@JambonzWebhook()` options from handlers and classes. */
    protected readonly reflector: Reflector,
    /** Sets the `WWW-Authenticate` header on Express or Fastify alike. */
    protected readonly adapterHost: HttpAdapterHost,
  ) {
    this.bodyReader = new RequestBodyReader(config.maxBodyBytes, config.requireRawBody, this.logger);
    this.secrets = new WebhookSecrets(config, this.logger);
  }

  /**
   * @returns true when the request is authenticated (or is an allowed OPTIONS).
   * @throws JambonzUnauthorizedException (401) when it is not; PayloadTooLargeException (413) or
   *   BadRequestException (400) when the module reads the body itself and it is too large,
   *   aborted, or (after authentication) not the JSON its content type says;
   *   JambonzReplayException (409) for a duplicate of a signed request, and
   *   ServiceUnavailableException (503) when the replay store fails (see `JambonzReplayOptions`).
   */
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request[JAMBONZ_AUTH_CONTEXT]) {
      // The decorator sits on both the class and the method: the guard is bound twice.
      return true;
    }
    const policy = this.policyFor(context);
    const method = (request.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS' && policy.allowOptionsRequests) {
      return true;
    }
    const checks = this.checksFor(policy, method, context);
    const { auth, signature } = await this.authenticate(request, policy, checks, context);
    if (signature && policy.replay) {
      const validFor = auth.timestamp! + policy.tolerance - this.config.clock();
      await this.config.replay!.claim(request, signature.toString('hex'), policy.tolerance, validFor);
    }
    request[JAMBONZ_AUTH_CONTEXT] = auth;
    return true;
  }

  /**
   * The route's policy: module options with the class's and then the method's laid over them,
   * built on the route's first request and cached.
   * @throws JambonzAuthConfigError when the route's options cannot be met (the routes validator
   *   refuses such a route at bootstrap already).
   */
  protected policyFor(context: ExecutionContext): JambonzRoutePolicy {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.policies.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.policies.set(controller, byHandler);
    }
    let policy = byHandler.get(handler);
    if (!policy) {
      // A route that binds the guard without the decorator gets the module's policy.
      policy =
        findRoutePolicy(this.config, this.reflector, controller, handler as () => unknown) ??
        createRoutePolicy(this.config, {}, routeName(context));
      byHandler.set(handler, policy);
    }
    return policy;
  }

  /** Which checks apply to this method: a GET or HEAD cannot be signature-verified. */
  protected checksFor(policy: JambonzRoutePolicy, method: string, context: ExecutionContext): JambonzAuthChecks {
    const bodiless = method === 'GET' || method === 'HEAD';
    const signature = policy.require === 'signature' || policy.require === 'both' || policy.require === 'either';
    const basic = policy.require !== 'signature';
    if (bodiless && policy.require === 'signature' && !this.warnedRoutes.has(context.getHandler())) {
      this.warnedRoutes.add(context.getHandler());
      this.logger.error(
        `${routeName(context)} takes ${method} requests and requires a signature, which jambonz cannot send ` +
          'verifiably without a body: every request is refused. Configure basicAuth and require basic on this route.',
      );
    }
    return { signature: signature && !bodiless, basic, any: policy.require === 'either' };
  }

  /**
   * Runs the checks. Basic goes first: it is cheap and needs no body.
   * @throws JambonzUnauthorizedException when the checks do not pass.
   */
  protected async authenticate(
    request: WebhookRequest,
    policy: JambonzRoutePolicy,
    checks: JambonzAuthChecks,
    context: ExecutionContext,
  ): Promise<JambonzAuthentication> {
    const failures: JambonzAuthReason[] = [];
    const username = checks.basic ? await this.attempt(() => this.verifyBasic(request, policy), failures) : undefined;
    // With `both`, a failed Basic check ends it before the body is read; with `either`, a passed one does.
    const needSignature = checks.signature && (checks.any ? username === undefined : failures.length === 0);
    const signed = needSignature ? await this.attempt(() => this.verifySignature(request, policy), failures) : undefined;
    const passed = checks.any
      ? username !== undefined || signed !== undefined
      : failures.length === 0 && (checks.basic || checks.signature);
    if (!passed) {
      throw this.reject(request, checks, failures.length > 0 ? failures : ['signature_unverifiable'], context);
    }
    if (signed?.invalidJson) {
      throw new BadRequestException('The body is not valid JSON');
    }
    const auth: JambonzAuthContext = {
      method: username !== undefined && signed ? 'both' : signed ? 'signature' : 'basic',
      timestamp: signed?.timestamp,
      username,
      accountSid: accountSidOf(request.body),
      bodySource: signed?.bodySource,
    };
    return { auth, signature: signed?.signature };
  }

  /**
   * Verifies the `Authorization: Basic` header against the route's credentials.
   * @returns the username that matched.
   * @throws JambonzAuthError `missing_credentials`, `malformed_credentials`, `credentials_mismatch`.
   */
  protected verifyBasic(request: WebhookRequest, policy: JambonzRoutePolicy): string {
    return policy.basicAuth!.verify(headerValue(request, 'authorization'));
  }

  /**
   * Verifies the `Jambonz-Signature` header over the exact body bytes. The header is parsed
   * before the body is read, so a missing or malformed header costs no body read.
   * @throws JambonzAuthError any signature reason, `body_unavailable`, `no_secret` or
   *   `secret_resolver_failed`; PayloadTooLargeException (413) or BadRequestException (400) when
   *   the module reads the body from the stream and it is too large or aborted.
   */
  protected async verifySignature(request: WebhookRequest, policy: JambonzRoutePolicy): Promise<VerifiedRequestSignature> {
    const header = parseSignatureHeader(request.headers[SIGNATURE_HEADER]);
    const body = await this.bodyReader.read(request);
    const secrets = await this.secrets.forRequest(request);
    const { timestamp, signature } = verifyParsedSignature(body.bytes, header, secrets, {
      tolerance: policy.tolerance,
      now: this.config.clock(),
    });
    return { timestamp, signature, bodySource: body.source, invalidJson: body.invalidJson };
  }

  /**
   * Logs why the request failed and builds the 401, with a `WWW-Authenticate: Basic` challenge
   * (RFC 7617) when Basic credentials would have been accepted.
   */
  protected reject(
    request: WebhookRequest,
    checks: JambonzAuthChecks,
    reasons: readonly JambonzAuthReason[],
    context: ExecutionContext,
  ): JambonzUnauthorizedException {
    this.logger.warn(`Refused ${request.method ?? ''} ${requestPath(request)}: ${reasons.join(', ')}`);
    if (checks.basic) {
      const response = context.switchToHttp().getResponse<unknown>();
      this.adapterHost.httpAdapter.setHeader(response, 'WWW-Authenticate', `Basic realm="${this.config.realm}", charset="UTF-8"`);
    }
    return new JambonzUnauthorizedException(reasons);
  }

  /** Runs one check; a {@link JambonzAuthError} is recorded in `failures`, anything else propagates. */
  private async attempt<T>(check: () => T | Promise<T>, failures: JambonzAuthReason[]): Promise<T | undefined> {
    try {
      return await check();
    } catch (error) {
      if (!isJambonzAuthError(error)) throw error;
      failures.push(error.reason);
      return undefined;
    }
  }
}

function routeName(context: ExecutionContext): string {
  return `${context.getClass().name}.${context.getHandler().name}`;
}
