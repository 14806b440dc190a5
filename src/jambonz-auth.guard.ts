import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  isJambonzAuthError,
  JambonzAuthError,
  parseSignatureHeader,
  verifyParsedSignature,
  type CredentialsMatch,
  type JambonzAuthReason,
  type VerifiedSignature,
} from './core/index.js';
import type { JambonzAuthContext } from './jambonz-auth-context.decorator.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import type { JambonzAuthConfig } from './jambonz-auth.config.js';
import { JAMBONZ_AUTH_CONFIG, JAMBONZ_ROUTE_POLICIES, SIGNATURE_HEADER } from './jambonz-auth.constants.js';
import type { JambonzRoutePolicies, JambonzRoutePolicy, RequestChecks } from './jambonz-route.policy.js';
import { basicChallenge, JambonzUnauthorizedException } from './jambonz-unauthorized.exception.js';
import type { ReplayResponse } from './replay/replay-protection.js';
import { httpDecision } from './observability/jambonz-auth-decision.factory.js';
import type { JambonzDecisionObserver } from './observability/jambonz-auth-decision.interface.js';
import { adoptJsonBody, isJambonzJson, peekJsonBody } from './request-body.parser.js';
import { RequestBodyReader, type RequestBodyBytes, type RequestBodySource } from './request-body.reader.js';
import { Admission, admissionOf, recordAdmission } from './request-state.js';
import type { WebhookRequest } from './webhook-request.interface.js';
import { announcesBody, headerValue, requestLine } from './webhook-request.util.js';
import { accountSidOf } from './webhook-secrets.resolver.js';

/** A verified signature and the body it was verified over. */
export interface SignatureMatch extends VerifiedSignature {
  /** Where the verified bytes came from. */
  readonly bodySource: RequestBodySource;
  /** The verified bytes. */
  readonly body: Uint8Array | string;
}

/** What {@link JambonzAuthGuard.authenticate} found. */
export interface JambonzAuthentication {
  /** What authenticated the request, for the handler (`@JambonzAuth()`). */
  readonly auth: JambonzAuthContext;
  /** The verified signature, when one was checked; replay protection keys on it. */
  readonly signature: SignatureMatch | undefined;
}

/**
 * Lets a request reach a `@JambonzWebhook()` route only when it proves it comes from jambonz:
 * a valid `Jambonz-Signature` over the exact body bytes, valid Basic credentials, or both, as
 * the route's policy requires (see `JambonzAuthRequirement`). Bound by `@JambonzWebhook()`.
 *
 * - OPTIONS passes unauthenticated on a route declared for OPTIONS (`@Options()`) while
 *   `allowOptionsRequests` holds: jambonz's unsigned discovery of the application's environment
 *   variables. On any other route (`@All()`...), OPTIONS is authenticated like any request.
 * - GET and HEAD carry no body, so only Basic can authenticate them.
 * - A failure throws {@link JambonzUnauthorizedException} (401, a body that says nothing about
 *   why) with `WWW-Authenticate: Basic` when Basic would have been accepted, and logs the reason
 *   codes at `warn` level. Nothing fails open: an unexpected error propagates, it never passes.
 * - With replay protection on, a verified signature is claimed in the replay store before the
 *   handler runs (see `JambonzReplayOptions`).
 * - On success, the request's {@link JambonzAuthContext} is stored for `@JambonzAuth()`.
 *
 * It answers synchronously when nothing needs to wait (raw body present, static secrets, no
 * replay protection), which is the common case. The steps are protected methods, for
 * subclasses that need to change one; each may return a value or a promise.
 */
@Injectable()
export class JambonzAuthGuard implements CanActivate {
  /** Where refusals (`warn`, with reason codes) and misconfigurations (`error`) are logged. */
  protected readonly logger = new Logger('JambonzAuthGuard');
  private readonly bodyReader: RequestBodyReader;

  /**
   * @throws JambonzAuthConfigError when `JambonzAuthModule` is not reachable from the module
   *   that uses the guard (not imported there, and not registered with `isGlobal: true`).
   */
  constructor(
    /** The module's validated configuration. */
    @Optional() @Inject(JAMBONZ_AUTH_CONFIG) protected readonly config: JambonzAuthConfig,
    /** Every route's policy, resolved at bootstrap. */
    @Optional() @Inject(JAMBONZ_ROUTE_POLICIES) protected readonly policies: JambonzRoutePolicies,
    /** Sets the `WWW-Authenticate` header on Express or Fastify alike. */
    protected readonly adapterHost: HttpAdapterHost,
  ) {
    if (!config || !policies) {
      throw new JambonzAuthConfigError(
        `${new.target.name} cannot reach JambonzAuthModule's configuration. Import JambonzAuthModule.forRoot()/forRootAsync() ` +
          'in the module that declares the controller (or provides the guard), or register it once with isGlobal: true: ' +
          'JambonzAuthModule.forRootAsync({ isGlobal: true, useFactory, inject }).',
      );
    }
    this.bodyReader = new RequestBodyReader(config.maxBodyBytes, config.allowReserializedBody, this.logger);
  }

  /**
   * @returns true (or a promise of true) when the request is authenticated, or is an allowed
   *   OPTIONS.
   * @throws JambonzUnauthorizedException (401) when it is not; PayloadTooLargeException (413) or
   *   BadRequestException (400) when the module reads the body itself and it is too large,
   *   aborted, or (after authentication) not the JSON its content type says;
   *   JambonzReplayException (409) for a duplicate of a signed request, and
   *   ServiceUnavailableException (503) when the replay store fails (see `JambonzReplayOptions`).
   */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // The request is the first argument of an HTTP handler (`switchToHttp()` allocates per call).
    const request = context.getArgByIndex<WebhookRequest>(0);
    const policy = this.policyFor(context);
    if (admissionOf(request)?.isUnder(policy)) {
      // The decorator sits on both the class and the method: the guard is bound twice. A request
      // let through on another route (a handler that calls next()) is checked against this one's.
      return true;
    }
    if (policy.optionsExempt && request.method === 'OPTIONS') {
      return true;
    }
    const observer = this.config.observer;
    return observer === undefined ? this.decide(request, policy, context) : this.observe(observer, request, policy, context);
  }

  /** The route's policy, resolved at bootstrap (see `JambonzRoutePolicies`). */
  protected policyFor(context: ExecutionContext): JambonzRoutePolicy {
    return this.policies.for(context.getClass(), context.getHandler());
  }

  /**
   * Runs the checks the route requires for the request's method. Basic goes first: it is cheap
   * and needs no body. With `both`, a failed Basic check ends it before the body is read; with
   * `either`, a passed one does.
   * @throws JambonzUnauthorizedException when the checks do not pass.
   */
  protected authenticate(
    request: WebhookRequest,
    policy: JambonzRoutePolicy,
    context: ExecutionContext,
  ): JambonzAuthentication | Promise<JambonzAuthentication> {
    const method = request.method;
    // A GET or HEAD that carries a body is not jambonz's: it is checked as a request with a body,
    // so that Basic alone cannot hand the handler a body nobody signed.
    const checks = (method === 'GET' || method === 'HEAD') && !announcesBody(request) ? policy.bodiless : policy.withBody;
    let failures: JambonzAuthReason[] | undefined;
    let credentials: CredentialsMatch | undefined;
    if (checks.basic) {
      try {
        credentials = this.verifyBasic(request, policy);
      } catch (error) {
        failures = failed(error, failures);
      }
    }
    const needSignature = checks.signature && (checks.oneSuffices ? credentials === undefined : failures === undefined);
    if (!needSignature) {
      return this.conclude(request, policy, checks, credentials, undefined, failures, context);
    }
    let signature: SignatureMatch | Promise<SignatureMatch>;
    try {
      signature = this.verifySignature(request, policy);
    } catch (error) {
      return this.conclude(request, policy, checks, credentials, undefined, failed(error, failures), context);
    }
    if (signature instanceof Promise) {
      return signature.then(
        (match) => this.conclude(request, policy, checks, credentials, match, failures, context),
        (error: unknown) => this.conclude(request, policy, checks, credentials, undefined, failed(error, failures), context),
      );
    }
    return this.conclude(request, policy, checks, credentials, signature, failures, context);
  }

  /**
   * Verifies the `Authorization: Basic` header against the route's credentials.
   * @returns the username that matched and the position of its pair.
   * @throws JambonzAuthError `missing_credentials`, `malformed_credentials`, `credentials_mismatch`.
   */
  protected verifyBasic(request: WebhookRequest, policy: JambonzRoutePolicy): CredentialsMatch {
    return policy.credentials!.verifyIndex(headerValue(request, 'authorization'));
  }

  /**
   * Verifies the `Jambonz-Signature` header over the exact body bytes. The header is parsed
   * before the body is read, so a missing or malformed header costs no body read.
   * @throws JambonzAuthError any signature reason, `unsupported_content_type`, `body_unavailable`, `no_secret` or
   *   `secret_resolver_failed`; PayloadTooLargeException (413) or BadRequestException (400) when
   *   the module reads the body from the stream and it is too large or aborted.
   */
  protected verifySignature(request: WebhookRequest, policy: JambonzRoutePolicy): SignatureMatch | Promise<SignatureMatch> {
    // Read once: on Express each read of a request property takes V8's slow path (see request-state.ts).
    const headers = request.headers;
    const header = parseSignatureHeader(headers[SIGNATURE_HEADER]);
    if (!isJambonzJson({ headers })) {
      throw new JambonzAuthError('unsupported_content_type');
    }
    const body = this.bodyReader.read(request);
    const source = policy.secrets!;
    const verify = ({ bytes, source: bodySource }: RequestBodyBytes, keys: readonly string[]): SignatureMatch => {
      const verified = verifyParsedSignature(bytes, header, keys, { tolerance: policy.tolerance, now: this.config.clock() });
      return {
        timestamp: verified.timestamp,
        secretIndex: verified.secretIndex,
        signature: verified.signature,
        bodySource,
        body: bytes,
      };
    };
    if (Array.isArray(source)) {
      const keys = source as readonly string[];
      return body instanceof Promise ? body.then((bytes) => verify(bytes, keys)) : verify(body, keys);
    }
    const resolver = source as Exclude<typeof source, readonly string[]>;
    if (body instanceof Promise) {
      // Read from the stream: the resolver picks by the body's account_sid, so it waits for the bytes.
      return body.then((bytes) =>
        resolver.forRequest(request, peekJsonBody(request, bytes.bytes)).then((keys) => verify(bytes, keys)),
      );
    }
    return resolver.forRequest(request, request.body).then((keys) => verify(body, keys));
  }

  /**
   * Logs why the request failed and builds the 401, with a `WWW-Authenticate: Basic` challenge
   * (RFC 7617) when Basic credentials would have been accepted. The log line names the method
   * and path (neutralised, without the query string) and the reason codes, nothing else.
   */
  protected reject(
    request: WebhookRequest,
    checks: RequestChecks,
    reasons: readonly JambonzAuthReason[],
    context: ExecutionContext,
  ): JambonzUnauthorizedException {
    this.logger.warn(`Refused ${requestLine(request)}: ${reasons.join(', ')}`);
    if (checks.basic) {
      const response = context.getArgByIndex<unknown>(1);
      this.adapterHost.httpAdapter.setHeader(response, 'WWW-Authenticate', basicChallenge(this.config.realm));
    }
    return new JambonzUnauthorizedException(reasons);
  }

  private conclude(
    request: WebhookRequest,
    policy: JambonzRoutePolicy,
    checks: RequestChecks,
    credentials: CredentialsMatch | undefined,
    signature: SignatureMatch | undefined,
    failures: JambonzAuthReason[] | undefined,
    context: ExecutionContext,
  ): JambonzAuthentication {
    const passed = checks.oneSuffices
      ? credentials !== undefined || signature !== undefined
      : failures === undefined && (checks.basic || checks.signature);
    if (!passed) {
      throw this.reject(request, checks, failures ?? ['signature_unverifiable'], context);
    }
    if (signature?.bodySource === 'stream') {
      adoptJsonBody(request, signature.body);
    }
    const auth: JambonzAuthContext = {
      verifiedBy: credentials !== undefined && signature ? 'both' : signature ? 'signature' : 'basic',
      timestamp: signature?.timestamp,
      secretSet: signature && policy.secretSet,
      secretIndex: signature?.secretIndex,
      username: credentials?.username,
      credentialSet: credentials && policy.credentialSet,
      credentialIndex: credentials?.index,
      // Only a verified signature covers the body: after Basic alone, account_sid is the sender's word.
      accountSid: signature ? accountSidOf(request.body) : undefined,
      bodySource: signature?.bodySource,
    };
    return { auth, signature };
  }

  private decide(request: WebhookRequest, policy: JambonzRoutePolicy, context: ExecutionContext): boolean | Promise<boolean> {
    const authentication = this.authenticate(request, policy, context);
    return authentication instanceof Promise
      ? authentication.then((found) => this.afterAuthentication(request, policy, found, context))
      : this.afterAuthentication(request, policy, authentication, context);
  }

  /**
   * Authenticated without a signature (Basic alone) while nobody has read the body (the app's
   * body parser is off): reads it now, so that the handler gets it as after a signature check.
   */
  private afterAuthentication(
    request: WebhookRequest,
    policy: JambonzRoutePolicy,
    found: JambonzAuthentication,
    context: ExecutionContext,
  ): boolean | Promise<boolean> {
    const unread = found.signature ? undefined : this.bodyReader.readUnread(request);
    return unread === undefined
      ? this.admit(request, policy, found, context)
      : unread.then((bytes) => {
          adoptJsonBody(request, bytes);
          return this.admit(request, policy, found, context);
        });
  }

  /** {@link decide}, reporting how it ended to the observer (only when the app observes decisions). */
  private observe(
    observer: JambonzDecisionObserver,
    request: WebhookRequest,
    policy: JambonzRoutePolicy,
    context: ExecutionContext,
  ): boolean | Promise<boolean> {
    const started = performance.now();
    const report = (error?: unknown) => {
      const decision = httpDecision(request, policy.route, error, started, this.config.clock());
      if (decision) observer.decided(decision);
    };
    let result: boolean | Promise<boolean>;
    try {
      result = this.decide(request, policy, context);
    } catch (error) {
      report(error);
      throw error;
    }
    if (!(result instanceof Promise)) {
      report();
      return result;
    }
    return result.then(
      (admitted) => {
        report();
        return admitted;
      },
      (error: unknown) => {
        report(error);
        throw error;
      },
    );
  }

  /** Claims the signature when replay protection applies, then lets the request through. */
  private admit(
    request: WebhookRequest,
    policy: JambonzRoutePolicy,
    { auth, signature }: JambonzAuthentication,
    context: ExecutionContext,
  ): boolean | Promise<boolean> {
    if (signature && policy.replay) {
      const response = context.getArgByIndex<ReplayResponse | { raw: ReplayResponse }>(1);
      const raw = 'raw' in response ? response.raw : response;
      return this.config.replay!.claim(signature.signature, signature.timestamp, this.config.clock(), raw).then(() => {
        recordAdmission(request, new Admission(auth, policy));
        return true;
      });
    }
    recordAdmission(request, new Admission(auth, policy));
    return true;
  }
}

/** Records a refusal's reason; anything but a `JambonzAuthError` propagates (never a pass). */
function failed(error: unknown, failures: JambonzAuthReason[] | undefined): JambonzAuthReason[] {
  if (!isJambonzAuthError(error)) throw error;
  return failures ? [...failures, error.reason] : [error.reason];
}
