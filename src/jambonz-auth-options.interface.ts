import type { BasicCredentials } from './core/index.js';
import type {
  JambonzCredentialUsageOptions,
  JambonzDecisionListener,
  JambonzMetricsOptions,
} from './observability/observability-options.interface.js';
import type { JambonzReplayOptions } from './replay/replay-options.interface.js';
import type { JambonzEndpointKind } from './websocket/jambonz-ws.constants.js';

/**
 * Which checks a request must pass.
 * - `signature`: a valid `Jambonz-Signature` (HMAC of the body with the webhook secret).
 * - `basic`: valid HTTP Basic credentials.
 * - `either`: one of the two.
 * - `both`: both. jambonz sends both headers when the hook has a secret and credentials.
 *
 * A GET carries no body, so its signature cannot be checked (jambonz signs a payload it does
 * not send): on GET and HEAD, `both` and `either` check Basic alone, and a route that requires
 * `signature` only is refused at bootstrap when it takes GET.
 */
export type JambonzAuthRequirement = 'signature' | 'basic' | 'either' | 'both';

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
 * `no_secret`). May be async.
 *
 * Its answers obey the rules of a configured `secret` (no placeholder such as `'undefined'`, no
 * invisible-only or whitespace-wrapped value, not jambonz's well-known default unless allowed):
 * a request for which it answers such a value is refused with `secret_resolver_failed`, and the
 * operator error is logged once per account, never with the value. If it throws, rejects or
 * does not answer within `secretResolverTimeout`, the request is refused with
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
 * Options of `JambonzAuthModule.forRoot()` and of the `forRootAsync()` factory. All are
 * validated at bootstrap: a bad value stops the application with a `JambonzAuthConfigError`
 * naming the option and what to set. At least one of `secret`, `secretResolver` and
 * `basicAuth` is required.
 *
 * Secrets and credentials live here, read from configuration (`ConfigService`), never in
 * decorators: a route or gateway picks a named set with `@JambonzWebhook({ credentials: 'status' })`.
 */
export interface JambonzAuthModuleOptions {
  /**
   * The account's webhook secret (jambonz portal: Account, "Webhook secret"), or several during
   * a rotation: a request signed with any of them passes. Used exactly as given. Refused at
   * bootstrap: an empty value, what an unset variable produces (`'undefined'`, `'null'`), a
   * value of only invisible characters, surrounding whitespace or a line break (unless
   * `allowSecretWhitespace`), jambonz's well-known seed secret (unless `allowWellKnownSecret`).
   * Mutually exclusive with `secretResolver`.
   */
  secret?: string | readonly string[];

  /**
   * Webhook secrets of other jambonz accounts, by name, for routes that belong to them:
   * `namedSecrets: { partner: config.getOrThrow('PARTNER_WEBHOOK_SECRET') }` and
   * `@JambonzWebhook({ secrets: 'partner' })`. Each obeys the rules of `secret`. The name
   * `'default'` is reserved for `secret`.
   */
  namedSecrets?: Readonly<Record<string, string | readonly string[]>>;

  /** Picks secrets per request instead of `secret` (many accounts). See {@link JambonzSecretResolver}. */
  secretResolver?: JambonzSecretResolver;

  /**
   * How long, in seconds, a secret resolver's answer for one `account_sid` is reused.
   * Default 0: not cached. Answers for requests without an `account_sid` are never cached.
   */
  secretResolverCacheTtl?: number;

  /**
   * Seconds the secret resolver may take before the request is refused (`secret_resolver_failed`,
   * logged at error level). Default 5: jambonz waits 10 s for a webhook's response.
   */
  secretResolverTimeout?: number;

  /**
   * HTTP Basic credentials that jambonz sends with the call hook and every action hook of a call
   * (set on the application's call hook). Several pairs are accepted, for rotation.
   */
  basicAuth?: BasicCredentials | readonly BasicCredentials[];

  /**
   * Other Basic credential sets, by name: the call status hook's own credentials, the audio
   * socket's `wsAuth`... `namedCredentials: { status: { username, password } }`, picked with
   * `@JambonzWebhook({ credentials: 'status' })`. A route that names a set takes those
   * credentials instead of `basicAuth`. The name `'default'` is reserved for `basicAuth`.
   */
  namedCredentials?: Readonly<Record<string, BasicCredentials | readonly BasicCredentials[]>>;

  /**
   * Which checks a protected route requires, unless the route says otherwise. Default: every
   * check that has material, i.e. `both` when a secret and credentials are set (jambonz then
   * sends both headers), else `signature` or `basic`.
   */
  require?: JambonzAuthRequirement;

  /**
   * How far the signature's timestamp may be from now, in seconds, in the past or the future.
   * Default 300, at most 3600. jambonz retries a failed delivery with the same header for
   * about 75 s.
   */
  tolerance?: number;

  /**
   * Let OPTIONS through unauthenticated on routes declared for OPTIONS (`@Options()`). Default
   * `true`: jambonz sends an unsigned OPTIONS to the call hook URL to discover the application's
   * environment variables. An OPTIONS request that reaches a route declared for other methods
   * (`@All()`, say) is authenticated like any other request.
   */
  allowOptionsRequests?: boolean;

  /**
   * Verify `JSON.stringify(req.body)` when the exact body bytes are not available (the app was
   * not created with `{ rawBody: true }` and its body parser consumed the stream). Default
   * `false`: such an app is refused at bootstrap, and such a request with 401
   * `body_unavailable`. The re-serialised form equals what jambonz sends for every body jambonz
   * produces, but a handler then trusts bytes nobody verified.
   */
  allowReserializedBody?: boolean;

  /**
   * Largest body, in bytes, the module reads from the request stream itself (only when the
   * app's body parser is off). Default 1 MiB. A larger body is answered 413.
   */
  maxBodyBytes?: number;

  /** `realm` of the `WWW-Authenticate: Basic` challenge on a 401. Default `"jambonz"`. */
  realm?: string;

  /**
   * Returns the current Unix time in seconds. Default: the system clock. For tests. Called once
   * at bootstrap: a clock that answers milliseconds (or anything past 9999999999) is refused.
   */
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

  /**
   * Called with every decision of the module (see {@link JambonzAuthDecision}), after the
   * request has been decided and off its path: it cannot delay or break a request, and a
   * listener that throws or rejects is logged. Default: none, and then decisions are not even
   * built. From `forRootAsync()`, the factory can close over injected services:
   * `useFactory: (stats: RefusalStats) => ({ secret, onDecision: (d) => stats.add(d) })`.
   */
  onDecision?: JambonzDecisionListener;

  /**
   * OpenTelemetry metrics: `true` for the global `MeterProvider`, or `{ meterProvider }`.
   * Default `false`: nothing is recorded and `@opentelemetry/api` is never loaded.
   *
   * Instruments (meter `nestjs-jambonz-auth`): the counter `jambonz.auth.decisions`
   * (`{decision}`), the histogram `jambonz.auth.decision.duration` (seconds), and the
   * observable gauges `jambonz.auth.secret.last_used` and `jambonz.auth.credentials.last_used`
   * (Unix seconds); their attributes are in `JAMBONZ_METRIC_ATTRIBUTES`. Turns on
   * `credentialUsage`, which the gauges read.
   *
   * `true` needs the package `@opentelemetry/api` (an optional peer dependency): without it the
   * app does not start (`JambonzAuthConfigError` naming the package). Until an SDK is installed,
   * the API records nothing.
   */
  metrics?: boolean | JambonzMetricsOptions;

  /**
   * Rotation telemetry: record, per instance, when each secret of `secret` and `namedSecrets`
   * and each pair of `basicAuth` and `namedCredentials` last authenticated a request;
   * `JambonzCredentialUsage.report()` tells which one is unused and safe to remove. Logs once,
   * at `log` level, when a secret (or pair) other than the first of its set authenticates a
   * request, and when one has been unused for `unusedAfter` seconds while another of its set
   * was used. A secret resolver's secrets are not tracked (they rotate per account: use
   * `onDecision`).
   *
   * Default: on when a set holds more than one secret or pair (a rotation is in progress) or
   * `metrics` is on, off otherwise. `true` or `{ unusedAfter }` turns it on, `false` off.
   */
  credentialUsage?: boolean | JambonzCredentialUsageOptions;
  /** Frame limits of the jambonz WebSocket gateways (`nestjs-jambonz-auth/websocket`). See {@link JambonzWebSocketOptions}. */
  websocket?: JambonzWebSocketOptions;
}

/**
 * The module's `websocket` block: limits of the frames that jambonz WebSocket gateways
 * (`@JambonzGateway()` of `nestjs-jambonz-auth/websocket`) take and send. Deployment settings,
 * read from configuration like the credentials; a gateway may lower or raise the incoming one.
 */
export interface JambonzWebSocketOptions {
  /**
   * Largest frame a jambonz gateway accepts, in bytes. Default 1 MiB. `ws` enforces it from the
   * frame header, before buffering anything: a larger frame closes that connection with 1009
   * (jambonz then reconnects and sends `session:reconnect`), other connections go on. Keep it
   * well above jambonz's largest frames (a `session:new` carries the whole SIP INVITE).
   */
  maxIncomingFrameBytes?: number;
  /**
   * Largest frame sent over the WebSocket API, in bytes: what jambonz accepts
   * (`JAMBONES_WS_MAX_PAYLOAD` on the feature server, default 24 KiB, the default here). A
   * larger ack or command is refused with `JambonzFrameTooLargeError` instead of making jambonz
   * close the call's socket. Audio streams take mod_audio_fork's own limit (650 KiB).
   */
  maxOutgoingFrameBytes?: number;
}

/**
 * Options of `@JambonzGateway()` (`nestjs-jambonz-auth/websocket`). Like every decorator
 * argument they are evaluated when the file is imported, before configuration loads, so they
 * carry names and policy, never credentials. Checked when the decorator is applied (types and
 * ranges) and when the application boots (the credential set exists, no other gateway takes the
 * same port and path).
 */
export interface JambonzGatewayOptions {
  /**
   * The endpoint's path, as in the jambonz URL (`/ws` for `ws://host/ws`). Compared with the
   * upgrade request's path without its query string, as Nest's `WsAdapter` does.
   */
  path: string;
  /**
   * `'api'`: jambonz's WebSocket API, the call hook of an application whose URL is `ws(s)://`
   * (subprotocol `ws.jambonz.org`, JSON frames routed by `type`). `'audio'`: an audio stream of
   * the `listen` or `stream` verb (subprotocol `audio.jambonz.org` or `audio.drachtio.org`, a
   * metadata frame then binary audio).
   */
  kind: JambonzEndpointKind;
  /**
   * The credential set the endpoint takes: a name of the module's `namedCredentials`, or
   * `'default'` for `basicAuth`, which is also what a gateway without `credentials` takes. The
   * WebSocket API sends the call hook's credentials; an audio stream sends the verb's `wsAuth`
   * (or the call hook's for a relative URL). The audio fork drops credentials whose base64 form
   * goes past 128 bytes (about 90 characters of username and password together), so keep audio
   * credentials short.
   */
  credentials?: string;
  /**
   * `true` declares an endpoint that checks no credentials: anyone who reaches it can connect
   * (the subprotocol is still checked). Without it, a gateway for which the module has no
   * credentials stops the application at bootstrap. Not with `credentials`.
   */
  open?: boolean;
  /**
   * A port of its own, whose HTTP server Nest's `WsAdapter` creates. Default 0: the application's
   * own HTTP server, beside its routes.
   */
  port?: number;
  /** Largest incoming frame for this gateway, in bytes; default the module's `websocket.maxIncomingFrameBytes`. */
  maxIncomingFrameBytes?: number;
}

/**
 * Per-route options of `@JambonzWebhook()`. They override the module's for that route (a
 * method's over its class's). Decorator arguments are evaluated when the file is imported,
 * before configuration loads, so they carry names and policy, never secrets or credentials.
 * Checked when the decorator is applied (types and ranges) and at bootstrap (the names exist,
 * the module has material for the checks).
 */
export interface JambonzWebhookOptions {
  /** Which checks this route requires. See {@link JambonzAuthRequirement}. */
  require?: JambonzAuthRequirement;
  /** Tolerance for this route, in seconds (see the module option). */
  tolerance?: number;
  /**
   * The name of a credential set of the module's `namedCredentials`, taken instead of the
   * module's `basicAuth`: jambonz sends the call status hook's own credentials. `'default'`
   * names `basicAuth`.
   */
  credentials?: string;
  /**
   * The name of a secret set of the module's `namedSecrets`, taken instead of the module's
   * `secret`, for a route that belongs to another jambonz account. `'default'` names `secret`.
   */
  secrets?: string;
  /** Let OPTIONS through on this route when it is declared for OPTIONS (see the module option). */
  allowOptionsRequests?: boolean;
  /**
   * `false` turns replay protection off for this route (a route that must accept duplicates).
   * Default: on whenever the module sets `replay`. `true` without the module's `replay` is refused.
   */
  replay?: boolean;
}
