import { STATUS_CODES, type IncomingMessage } from 'node:http';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { JambonzAuthConfigError } from '../jambonz-auth-config.error.js';
import type { JambonzAuthConfig } from '../jambonz-auth.config.js';
import { JAMBONZ_AUTH_CONFIG } from '../jambonz-auth.constants.js';
import { describeError, logSafe } from '../log-safe.util.js';
import { upgradeDecision } from '../observability/jambonz-auth-decision.factory.js';
import { createGatewayPolicy, type JambonzGatewayDeclaration, type JambonzGatewayPolicy } from './jambonz-gateway.policy.js';
import { assertOwnEndpoints, declaredGateways } from './jambonz-gateways.validator.js';
import { JambonzMessageRouter, type GatewayRouting, type ResultTransform } from './jambonz-message.router.js';
import { decideUpgrade, type JambonzUpgradeDecision } from './jambonz-upgrade.decision.js';
import { JambonzWsConnection, type JambonzSocket } from './jambonz-ws.connection.js';
import { JAMBONZ_GATEWAY, JAMBONZ_UPGRADE, JAMBONZ_WS_CONNECTION } from './jambonz-ws.constants.js';

/**
 * `ws`'s callback of an asynchronous `verifyClient`: `(true)` completes the handshake; a refusal
 * (`false`, status, body, headers) is written as a plain HTTP response.
 */
export type JambonzVerifyCallback = (
  verified: boolean,
  code?: number,
  message?: string,
  headers?: Record<string, string>,
) => void;

/** An upgrade request, with the decision that accepted it. */
type UpgradeRequest = IncomingMessage & { [JAMBONZ_UPGRADE]?: JambonzUpgradeDecision };

/** A `ws` client as this adapter handles it (structural: no type of `ws` is public). */
type Client = JambonzSocket & {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): unknown;
  once(event: 'close', listener: () => void): unknown;
  terminate(): void;
  [JAMBONZ_WS_CONNECTION]?: JambonzWsConnection;
};

/** Options of {@link JambonzWsAdapter}: those of Nest's `WsAdapter` (`messageParser`, for the app's other gateways). */
export type JambonzWsAdapterOptions = ConstructorParameters<typeof WsAdapter>[1];

/**
 * Nest's `WsAdapter` (`@nestjs/platform-ws`, on the `ws` library that jambonz itself uses), which
 * also authenticates the upgrades to `@JambonzGateway()` classes and speaks jambonz's frames to
 * them. Every other gateway of the app is served exactly as `WsAdapter` serves it.
 *
 * ```ts
 * const app = await NestFactory.create(AppModule);
 * app.useWebSocketAdapter(new JambonzWsAdapter(app));
 * ```
 *
 * Upgrades: for a jambonz gateway, `ws` runs this adapter's checks before it writes anything
 * (`verifyClient`), so a refused upgrade is a plain HTTP response and the gateway never sees the
 * socket: 401 with `WWW-Authenticate: Basic` for missing, malformed or wrong credentials (the
 * gateway's credential set, compared in constant time); then 400 when the client does not offer
 * the endpoint's subprotocol. The body is the status text, whatever the reason; the reason goes
 * to the log (`warn`). An accepted upgrade selects the subprotocol, and the connection gets its
 * {@link JambonzWsConnection} before `handleConnection` runs. Every decision goes through
 * {@link JambonzWsAdapter.onUpgradeDecision}.
 *
 * Frames: see `JambonzMessageRouter` (routing by `type`, acks from handlers' answers, audio
 * events); incoming frames are bounded by `maxIncomingFrameBytes` (`ws`'s `maxPayload`).
 *
 * Bootstrap: the first gateway Nest creates makes the adapter check them all. Each jambonz
 * gateway's credential set must exist (or the gateway be declared `open`), its options must not
 * have been replaced by a `@WebSocketGateway()` (above `@JambonzGateway()`, or on a subclass), and
 * no jambonz gateway may share its port and path with another gateway; otherwise
 * `JambonzAuthConfigError` stops the application.
 */
export class JambonzWsAdapter extends WsAdapter {
  /** Where upgrade refusals (`warn`), acceptances (`debug`), dropped frames and failures are logged. */
  protected readonly jambonzLogger = new Logger('JambonzWsAdapter');
  /** Each jambonz gateway's policy, by the `ws` server created for it. */
  private readonly servers = new WeakMap<object, JambonzGatewayPolicy>();
  /** The policy of each jambonz connection's gateway, by its `ws` client. */
  private readonly clients = new WeakMap<object, JambonzGatewayPolicy>();
  /** One-time warnings already logged, per gateway. */
  private readonly warnings = new WeakMap<JambonzGatewayPolicy, Set<string>>();
  /** Each jambonz gateway's policy, by its declaration; filled by the first `create()`. */
  private policies: Map<JambonzGatewayDeclaration, JambonzGatewayPolicy> | undefined;
  /** The module's configuration, once a jambonz gateway needed it. */
  private authConfig: JambonzAuthConfig | undefined;

  /**
   * @param app the application: its `JambonzAuthModule` configuration is read from it when the
   *   gateways are created (during `app.init()` / `app.listen()`).
   * @param options `WsAdapter`'s options, for the app's other gateways.
   */
  constructor(
    private readonly app: INestApplicationContext,
    options?: JambonzWsAdapterOptions,
  ) {
    super(app, options);
  }

  /**
   * Creates the `ws` server of a gateway: for a jambonz gateway, with the upgrade checks, the
   * subprotocol selection and the incoming frame bound; for any other, as `WsAdapter` does.
   * @throws JambonzAuthConfigError at the first call, when a gateway's settings cannot be met (see the class).
   */
  override create(port: number, options: Record<string | symbol, unknown> = {}): ReturnType<WsAdapter['create']> {
    const policies = this.gatewayPolicies();
    const declaration = options[JAMBONZ_GATEWAY] as JambonzGatewayDeclaration | undefined;
    if (declaration === undefined) {
      return super.create(port, options as Parameters<WsAdapter['create']>[1]);
    }
    const policy = policies.get(declaration) ?? this.policyOf(declaration);
    // The decorator's stand-in hooks (which refuse every upgrade under another adapter) give way
    // to the real ones; the declaration stays out of `ws`'s options.
    const { [JAMBONZ_GATEWAY]: _declaration, verifyClient: _verify, allowRequest: _allow, ...wsOptions } = options;
    const server = super.create(port, {
      ...wsOptions,
      maxPayload: policy.maxIncomingFrameBytes,
      verifyClient: (info: { req: IncomingMessage }, done: JambonzVerifyCallback) => this.verifyUpgrade(policy, info.req, done),
      // `verifyUpgrade` has refused a client that offers none of the endpoint's subprotocols.
      handleProtocols: (offered: Set<string>) => policy.protocols.find((protocol) => offered.has(protocol)) ?? false,
    } as Parameters<WsAdapter['create']>[1]);
    this.servers.set(server as object, policy);
    this.warnings.set(policy, new Set());
    return server;
  }

  /**
   * Hands each accepted connection of a jambonz gateway to Nest with its
   * {@link JambonzWsConnection}; other gateways' connections go to `WsAdapter`.
   */
  override bindClientConnect(server: unknown, callback: (...args: unknown[]) => void): void {
    const policy = this.servers.get(server as object);
    if (!policy) return super.bindClientConnect(server, callback);
    super.bindClientConnect(server, (client: Client, request: UpgradeRequest) => {
      const decision = request?.[JAMBONZ_UPGRADE];
      if (decision?.accepted !== true || decision.gateway !== policy.gateway) {
        // Only `verifyUpgrade` records an accepted decision: a socket without one never reaches the gateway.
        this.jambonzLogger.error(`A connection to ${policy.path} arrived without an accepted upgrade: terminated`);
        client.terminate();
        return;
      }
      client[JAMBONZ_WS_CONNECTION] = new JambonzWsConnection(client, policy, decision);
      this.clients.set(client, policy);
      callback(client, request);
    });
  }

  /**
   * Routes a jambonz connection's frames with a `JambonzMessageRouter`; other clients'
   * messages go to `WsAdapter`.
   */
  override bindMessageHandlers(client: unknown, handlers: MessageMappingProperties[], transform: ResultTransform): void {
    const connection = JambonzWsConnection.of(client);
    const policy = this.clients.get(client as object);
    if (!connection || !policy) {
      return super.bindMessageHandlers(client, handlers, transform as Parameters<WsAdapter['bindMessageHandlers']>[2]);
    }
    const routing: GatewayRouting = {
      handlers: new Map(handlers.map((handler) => [String(handler.message), handler])),
      warned: this.warnings.get(policy) ?? new Set(),
    };
    const router = new JambonzMessageRouter(connection, routing, transform, this.jambonzLogger);
    (client as Client).on('message', (data, isBinary) => router.route(data, isBinary));
    (client as Client).once('close', () => router.close());
  }

  /**
   * Decides an upgrade to a jambonz gateway and answers `ws`: a refusal as a plain HTTP response
   * (the status text as its body, `WWW-Authenticate: Basic` on a 401), an acceptance by
   * recording the decision on the request for {@link bindClientConnect}.
   */
  protected verifyUpgrade(policy: JambonzGatewayPolicy, request: IncomingMessage, done: JambonzVerifyCallback): void {
    const started = performance.now();
    let decision: JambonzUpgradeDecision;
    try {
      decision = decideUpgrade(policy, request.headers);
    } catch (error) {
      // Not a refusal the checks made: a bug. Fail closed, and keep its message off the wire.
      this.jambonzLogger.error(`Upgrade to ${policy.path} failed: ${describeError(error)}`);
      done(false, 500, STATUS_CODES[500]);
      return;
    }
    this.onUpgradeDecision(decision, request, started);
    if (!decision.accepted) {
      done(
        false,
        decision.status,
        STATUS_CODES[decision.status],
        decision.status === 401 ? { 'WWW-Authenticate': policy.challenge } : {},
      );
      return;
    }
    (request as UpgradeRequest)[JAMBONZ_UPGRADE] = decision;
    done(true);
  }

  /**
   * The one place every upgrade decision to a jambonz gateway goes through, accepted or refused,
   * before `ws` answers: logs a refusal at `warn` (the path, gateway, kind, reason, credential
   * set, and for a subprotocol refusal the subprotocols offered, neutralised) and an acceptance
   * at `debug`, and hands it to the module's decision observer, when the app observes decisions
   * (`transport: 'websocket'`, the gateway's path as the route). Never logs a credential. An
   * observer that throws is logged and the upgrade goes on as decided.
   *
   * @param decision what was decided (see {@link JambonzUpgradeDecision}).
   * @param _request the upgrade request, for subclasses (its headers carry credentials: never log them).
   * @param started `performance.now()` when the decision began, in milliseconds.
   */
  protected onUpgradeDecision(decision: JambonzUpgradeDecision, _request: IncomingMessage, started: number): void {
    const observer = this.authConfig?.observer;
    if (observer !== undefined) {
      try {
        observer.decided(upgradeDecision(decision, started));
      } catch (error) {
        this.jambonzLogger.error(`The decision observer failed on an upgrade to ${decision.path}: ${describeError(error)}`);
      }
    }
    const about = `${decision.path} (${decision.gateway}, ${decision.kind}${decision.credentialSet ? `, credential set '${decision.credentialSet}'` : ', open'})`;
    if (decision.accepted) {
      const pair = decision.credentialIndex === undefined ? '' : ` #${decision.credentialIndex}`;
      this.jambonzLogger.debug(`Accepted upgrade to ${about}${pair}, subprotocol ${decision.protocol}`);
      return;
    }
    const offered =
      decision.reason === 'subprotocol_mismatch' ? ` (offered: ${logSafe(decision.offered.join(', ') || 'none')})` : '';
    this.jambonzLogger.warn(`Refused upgrade to ${about} with ${decision.status}: ${decision.reason}${offered}`);
  }

  /** Every jambonz gateway's policy, checked with the app's other gateways at the first call. */
  private gatewayPolicies(): Map<JambonzGatewayDeclaration, JambonzGatewayPolicy> {
    if (this.policies) return this.policies;
    const gateways = declaredGateways(this.app.get(ModulesContainer, { strict: false }));
    assertOwnEndpoints(gateways);
    const policies = new Map<JambonzGatewayDeclaration, JambonzGatewayPolicy>();
    for (const { declaration } of gateways) {
      if (declaration && !policies.has(declaration)) policies.set(declaration, this.policyOf(declaration));
    }
    this.policies = policies;
    return policies;
  }

  private policyOf(declaration: JambonzGatewayDeclaration): JambonzGatewayPolicy {
    return createGatewayPolicy(this.config(declaration), declaration);
  }

  /** @throws JambonzAuthConfigError when the app has no `JambonzAuthModule`. */
  private config(declaration: JambonzGatewayDeclaration): JambonzAuthConfig {
    try {
      this.authConfig ??= this.app.get<JambonzAuthConfig>(JAMBONZ_AUTH_CONFIG, { strict: false });
      return this.authConfig;
    } catch {
      throw new JambonzAuthConfigError(
        `${declaration.gateway} (@JambonzGateway() at ${declaration.path}) cannot reach JambonzAuthModule's configuration: ` +
          'import JambonzAuthModule.forRoot() or forRootAsync() in the application, with the credentials jambonz sends.',
      );
    }
  }
}
