import type { BasicCredentials } from './core/index.js';
import type { ReplayStore } from './replay/replay-store.interface.js';

/**
 * Which checks a request must pass.
 * - `signature`: a valid `Jambonz-Signature` (HMAC of the body with the webhook secret).
 * - `basic`: valid HTTP Basic credentials.
 * - `either`: one of the two.
 * - `both`: both. jambonz sends both headers when the hook has a secret and credentials.
 *
 * A GET carries no body, so its signature cannot be checked (jambonz signs a payload it does
 * not send): on GET, `both` and `either` check Basic alone, and `signature` always refuses.
 */
export type JambonzAuthCheck = 'signature' | 'basic' | 'either' | 'both';

/** What a {@link JambonzSecretResolver} is told about the request. */
export interface JambonzSecretResolverContext {
  /** `account_sid` from the (not yet verified) JSON body, when it is a non-empty string. */
  readonly accountSid: string | undefined;
  /** The parsed body, not yet verified: use it to pick secrets, never to trust. */
  readonly body: unknown;
  /** The framework's request object (Express `Request` or Fastify `FastifyRequest`). */
  readonly request: unknown;
}

/**
 * Picks the webhook secrets for one request: typically by `account_sid`, for one server that
 * serves several jambonz accounts. Return one secret, several (rotation), or `undefined` /
 * an empty array when the request belongs to no known account (it is then refused with
 * `no_secret`). May be async. If it throws or rejects, the request is refused with
 * `secret_resolver_failed` and the error is logged; it never becomes a 5xx.
 *
 * It runs before the signature is verified, for any request with a well-formed
 * `Jambonz-Signature` header, forged ones included, and `undefined` answers are not cached: keep
 * it cheap (an in-memory map, or `secretResolverCacheTtl` in front of a database).
 */
export type JambonzSecretResolver = (
  context: JambonzSecretResolverContext,
) => string | readonly string[] | undefined | Promise<string | readonly string[] | undefined>;

/**
 * Replay protection: refuse a second delivery of a signed request that already succeeded, across
 * every instance that shares the store. Off unless set. Applies to signature-verified requests
 * (a Basic-only request has nothing unique to remember), so a protected route must require the
 * signature: `require: 'either'` or `'basic'` with replay on stops the app at bootstrap
 * (`JambonzAuthConfigError`), since a copied request would pass on its Basic credentials alone.
 * GET hooks, which carry no body to sign, stay Basic-only and unprotected.
 *
 * Per request: one store round trip before the handler (an atomic claim with a lease) and one
 * after it (consume on success, release on failure, so that jambonz's retry of a failed delivery,
 * with the same header and body, is accepted).
 */
export interface JambonzReplayOptions {
  /** Where signatures are remembered: `MemoryReplayStore` (one instance) or `RedisReplayStore` (many). */
  store: ReplayStore;
  /**
   * Seconds a consumed signature is remembered. Default: the route's tolerance plus jambonz's
   * retry window (75 s, `JAMBONZ_RETRY_WINDOW_SECONDS`). Whatever is set, a signature is kept
   * until the timestamp check would refuse it anyway (`t + tolerance`, which is later than
   * that when the sender's clock runs ahead), so a short `ttl` never reopens a replay.
   */
  ttl?: number;
  /**
   * Seconds a claim holds while the handler runs. Default 30. A duplicate that arrives meanwhile
   * gets 409; if the instance dies mid-request, the signature is free again after the lease.
   */
  lease?: number;
  /** Seconds a store operation may take before it counts as failed. Default 1. */
  timeout?: number;
  /**
   * When the store fails or times out: `'reject'` (default) answers 503 and logs an error;
   * `'allow'` lets the request through unchecked and logs a warning.
   */
  onStoreError?: 'reject' | 'allow';
}

/**
 * Options of `JambonzAuthModule.forRoot()` and of the `forRootAsync()` factory. All are
 * validated at bootstrap: a bad value stops the application with a message naming the option.
 * At least one of `secret`, `secretResolver` and `basicAuth` is required.
 */
export interface JambonzAuthModuleOptions {
  /**
   * The account's webhook secret (jambonz portal: Account, "Webhook secret"), or several during
   * a rotation: a request signed with any of them passes. Used exactly as given: a secret with
   * surrounding whitespace or a line break is refused unless `allowSecretWhitespace` is set,
   * since it is almost always a paste accident. Mutually exclusive with `secretResolver`.
   */
  secret?: string | readonly string[];

  /** Picks secrets per request instead of `secret` (many accounts). See {@link JambonzSecretResolver}. */
  secretResolver?: JambonzSecretResolver;

  /**
   * How long, in seconds, a secret resolver's answer for one `account_sid` is reused.
   * Default 0: not cached. Answers for requests without an `account_sid` are never cached.
   */
  secretResolverCacheTtl?: number;

  /**
   * HTTP Basic credentials that jambonz sends (set on the application's call hook; the call
   * status hook has its own, which a route can set with `@JambonzWebhook({ basicAuth })`).
   * Several pairs are accepted, for rotation.
   */
  basicAuth?: BasicCredentials | readonly BasicCredentials[];

  /**
   * Which checks a protected route requires, unless the route says otherwise. Default: every
   * check that has material, i.e. `both` when a secret and credentials are set (jambonz then
   * sends both headers), else `signature` or `basic`.
   */
  require?: JambonzAuthCheck;

  /**
   * How far the signature's timestamp may be from now, in seconds, in the past or the future.
   * Default 300. jambonz retries a failed delivery with the same header for about 75 s.
   */
  tolerance?: number;

  /**
   * Let OPTIONS requests through unauthenticated. Default `true`: jambonz sends an unsigned
   * OPTIONS to the call hook URL to discover the application's environment variables.
   */
  allowOptionsRequests?: boolean;

  /**
   * Refuse (`body_unavailable`, 401) a request whose exact body bytes are not available,
   * instead of verifying `JSON.stringify(req.body)`. Default `false`. Set it once the app is
   * created with `{ rawBody: true }`, so that a later change to the app cannot silently switch
   * verification to the re-serialised fallback.
   */
  requireRawBody?: boolean;

  /**
   * Largest body, in bytes, the module reads from the request stream itself (only when the
   * app's body parser is off). Default 1 MiB. A larger body is answered 413.
   */
  maxBodyBytes?: number;

  /** `realm` of the `WWW-Authenticate: Basic` challenge on a 401. Default `"jambonz"`. */
  realm?: string;

  /** Returns the current Unix time in seconds. Default: the system clock. For tests. */
  clock?: () => number;

  /**
   * Accept jambonz's well-known default webhook secret from its open-source seed database.
   * Default `false`: a server configured with it is not protected, so it is refused at bootstrap.
   */
  allowWellKnownSecret?: boolean;

  /** Accept a secret with leading or trailing whitespace or line breaks. Default `false`. */
  allowSecretWhitespace?: boolean;

  /** Replay protection, off by default. See {@link JambonzReplayOptions}. */
  replay?: JambonzReplayOptions;
}

/**
 * Per-route options of `@JambonzWebhook()`. They override the module's for that route (a
 * method's over its class's). Checked when the decorator is applied (types and ranges) and at
 * bootstrap (a check needs material: `basic` needs credentials, `signature` a secret).
 */
export interface JambonzWebhookOptions {
  /** Which checks this route requires. See {@link JambonzAuthCheck}. */
  require?: JambonzAuthCheck;
  /** Tolerance for this route, in seconds (see the module option). */
  tolerance?: number;
  /**
   * Basic credentials for this route instead of the module's: jambonz sends the call status
   * hook's own credentials, which may differ from the call hook's.
   */
  basicAuth?: BasicCredentials | readonly BasicCredentials[];
  /** Let OPTIONS through on this route (see the module option). */
  allowOptionsRequests?: boolean;
  /**
   * `false` turns replay protection off for this route (a route that must accept duplicates).
   * Default: on whenever the module sets `replay`. `true` without the module's `replay` is refused.
   */
  replay?: boolean;
}
