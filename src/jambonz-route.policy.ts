import { Inject, Injectable, Logger, RequestMethod, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { BasicCredentialsVerifier } from './core/index.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import type { JambonzAuthConfig } from './jambonz-auth.config.js';
import { DEFAULT_SET, JAMBONZ_AUTH_CONFIG, JAMBONZ_WEBHOOK_OPTIONS, NEST_METADATA } from './jambonz-auth.constants.js';
import type { JambonzAuthRequirement } from './jambonz-auth-options.interface.js';
import { JAMBONZ_RETRY_WINDOW_SECONDS } from './replay/replay-protection.js';
import { assertMaterial, mayBeSecret, type ValidatedWebhookOptions } from './jambonz-auth-options.rules.js';
import { urlPath } from './webhook-request.util.js';
import type { WebhookSecretsResolver } from './webhook-secrets.resolver.js';

/** The checks one request must pass, once its method is known. */
export interface RequestChecks {
  /** Verify the `Jambonz-Signature` header (never on GET or HEAD, which carry no body). */
  readonly signature: boolean;
  /** Verify the `Authorization: Basic` header. */
  readonly basic: boolean;
  /** `true`: one passing check is enough (`either`); `false`: every check must pass. */
  readonly oneSuffices: boolean;
}

/**
 * What one route requires: the module's configuration with the route's `@JambonzWebhook()`
 * options laid over it (a method's over its class's), resolved once at bootstrap.
 */
export interface JambonzRoutePolicy {
  /** `Controller.method`, for messages. */
  readonly route: string;
  /** The checks the route requires (before GET/HEAD is taken into account). */
  readonly require: JambonzAuthRequirement;
  /** How far the signature's `t` may be from now, in seconds, either way. */
  readonly tolerance: number;
  /** The route's Basic credentials; `undefined` without any. */
  readonly credentials: BasicCredentialsVerifier | undefined;
  /** The name of their set (`'default'` for `basicAuth`). */
  readonly credentialSet: string | undefined;
  /** The route's webhook secrets, or the resolver that picks them; `undefined` without any. */
  readonly secrets: readonly string[] | WebhookSecretsResolver | undefined;
  /** The name of their set (`'default'` for `secret` or `secretResolver`). */
  readonly secretSet: string | undefined;
  /** OPTIONS passes unauthenticated: the route is declared for OPTIONS and the option allows it. */
  readonly optionsExempt: boolean;
  /** Replay protection applies to this route. */
  readonly replay: boolean;
  /** The checks for a request with a body (POST...). */
  readonly withBody: RequestChecks;
  /** The checks for GET and HEAD, which carry no body, so no verifiable signature. */
  readonly bodiless: RequestChecks;
}

/** A route that verifies signatures, as found at bootstrap. */
export interface SignedRoute {
  /** `Controller.method`. */
  readonly route: string;
  /** Its path as declared (`/controller/route`), without the global prefix or a version. */
  readonly path: string;
}

const TAKES_GET: ReadonlySet<RequestMethod> = new Set([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.ALL]);

/**
 * Lays a route's options (already validated on their own) over the module's configuration.
 * Without an explicit `require`, a route requires every check it has material for.
 *
 * @param route the route, for the message (e.g. `CallController.onCall`).
 * @param method the `RequestMethod` the route is declared for, when it is a route.
 * @throws JambonzAuthConfigError when the route names a credential or secret set the module
 *   does not have; when its check needs a secret or credentials it has none of; when it takes
 *   GET and requires a signature alone (jambonz sends no verifiable signature on GET); when it
 *   asks for replay protection without a store; or when replay protection is on and `require`
 *   is `'either'` or `'basic'` (Basic alone would let a copied request through).
 */
export function createRoutePolicy(
  config: JambonzAuthConfig,
  options: ValidatedWebhookOptions,
  route: string,
  method: RequestMethod | undefined,
): JambonzRoutePolicy {
  const { name: credentialSet, verifier: credentials } = pickCredentialSet(config, options.credentials, route) ?? {};
  const secretSet = pickSet(options.secrets, secretNames(config), 'secrets', 'namedSecrets', route);
  // pickSet gave a name of secretNames(): a static set, or else 'default' for the resolver.
  const secrets = secretSet === undefined ? undefined : (config.secretSets.get(secretSet) ?? config.secretResolver);
  const hasSecret = secrets !== undefined;
  const hasBasic = credentials !== undefined;
  if (!hasSecret && !hasBasic) {
    // Possible only when the module has named sets alone: the route must pick one.
    throw new JambonzAuthConfigError(
      `${route} has nothing to authenticate with: the module has no default secret or credentials. Name a set ` +
        `(@JambonzWebhook({ credentials: 'name' }) or { secrets: 'name' }), or set secret or basicAuth in the module's options.`,
    );
  }
  const require = options.require ?? config.require ?? (hasSecret && hasBasic ? 'both' : hasSecret ? 'signature' : 'basic');
  assertMaterial(require, hasSecret, hasBasic, options.require === undefined ? `require (for ${route})` : `${route}.require`);
  if (require === 'signature' && method !== undefined && TAKES_GET.has(method)) {
    throw new JambonzAuthConfigError(
      `${route} takes GET requests and requires a signature alone, which jambonz cannot send verifiably on GET (it signs ` +
        "a payload it does not send): every GET would be refused. Require 'basic', 'either' or 'both' there, with Basic " +
        'credentials set on the jambonz hook and in the module, or declare the route for POST.',
    );
  }
  if (options.replay === true && config.replay === undefined) {
    throw new JambonzAuthConfigError(
      `${route}.replay is true, which needs a store: set replay: { store } in JambonzAuthModule's options.`,
    );
  }
  const replay = config.replay !== undefined && options.replay !== false;
  if (replay && (require === 'either' || require === 'basic')) {
    // Replay protection keys on the verified signature. Where Basic alone lets a request in, a
    // copied request passes on its (reusable) credentials, with or without its signature.
    throw new JambonzAuthConfigError(
      `${route} has replay protection but require '${require}', so a copied request passes on Basic alone: ` +
        `require 'signature' or 'both' there, or set @JambonzWebhook({ replay: false }) on it.`,
    );
  }
  const basic = require !== 'signature';
  const oneSuffices = require === 'either';
  return {
    route,
    require,
    tolerance: options.tolerance ?? config.tolerance,
    credentials,
    credentialSet: hasBasic ? credentialSet : undefined,
    secrets,
    secretSet: hasSecret ? secretSet : undefined,
    optionsExempt: (options.allowOptionsRequests ?? config.allowOptionsRequests) && method === RequestMethod.OPTIONS,
    replay,
    withBody: { signature: require !== 'basic', basic, oneSuffices },
    bodiless: { signature: false, basic, oneSuffices },
  };
}

/**
 * The Basic credential set a route or a gateway takes: the one it names, else `basicAuth` (the
 * set `'default'`) when the module has it, else none.
 *
 * @param name the set the route or gateway names (`credentials`), if any.
 * @param where the route or gateway, for the message (e.g. `CallController.onCall`).
 * @returns the set's name and verifier; `undefined` when nothing is named and there is no `basicAuth`.
 * @throws JambonzAuthConfigError when `name` is not a set of the module's options, listing those it has.
 */
export function pickCredentialSet(
  config: JambonzAuthConfig,
  name: string | undefined,
  where: string,
): { readonly name: string; readonly verifier: BasicCredentialsVerifier } | undefined {
  const picked = pickSet(name, config.credentialSets, 'credentials', 'namedCredentials', where);
  return picked === undefined ? undefined : { name: picked, verifier: config.credentialSets.get(picked)! };
}

/** The names of the secret sets a route can pick: the static ones, and `'default'` for a resolver. */
function secretNames(config: JambonzAuthConfig): ReadonlySet<string> {
  const names = new Set(config.secretSets.keys());
  if (config.secretResolver) names.add(DEFAULT_SET);
  return names;
}

/** The set a route takes: the one it names (which must exist), else the default when there is one. */
function pickSet(
  name: string | undefined,
  known: ReadonlyMap<string, unknown> | ReadonlySet<string>,
  option: string,
  moduleOption: string,
  route: string,
): string | undefined {
  if (name === undefined) return known.has(DEFAULT_SET) ? DEFAULT_SET : undefined;
  if (known.has(name)) return name;
  // Names are echoed only when they cannot be a secret pasted where a name belongs.
  const quoted = (n: string) => (mayBeSecret(n) ? 'a name that looks like a secret' : `'${n}'`);
  const names = [...known.keys()].map(quoted).join(', ') || 'none';
  const shown = mayBeSecret(name) ? '' : ` '${name}'`;
  throw new JambonzAuthConfigError(
    `${route}.${option} names the set${shown}, which JambonzAuthModule's options do not have (known: ${names}). ` +
      `Add it to ${moduleOption} (from ConfigService), or fix the name.`,
  );
}

/** A controller class or a handler function, as `ExecutionContext` and `Reflector` take them. */
type RouteTarget = Parameters<Reflector['get']>[1];
type Controller = RouteTarget;
type Handler = RouteTarget;

/**
 * Every route's {@link JambonzRoutePolicy}, resolved while the application boots: each
 * `@JambonzWebhook()` route is checked against the module's configuration then, so a mistake
 * stops the application instead of refusing requests later, and the guard then finds a route's
 * policy with one lookup. It also tells replay protection the longest tolerance of the app.
 */
@Injectable()
export class JambonzRoutePolicies implements OnModuleInit {
  // By class, then handler: an inherited handler can sit under controllers with different options.
  // `null` marks a route without the decorator.
  private readonly policies = new WeakMap<Controller, Map<Handler, JambonzRoutePolicy | null>>();
  private readonly undecorated = new WeakMap<Controller, Map<Handler, JambonzRoutePolicy>>();
  private readonly signed: SignedRoute[] = [];
  private readonly logger = new Logger('JambonzAuthGuard');

  constructor(
    @Inject(JAMBONZ_AUTH_CONFIG) private readonly config: JambonzAuthConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /**
   * Resolves every decorated route's policy; warns about tolerances shorter than jambonz's retry
   * window (a minutes-for-seconds slip would refuse genuine retries).
   * @throws JambonzAuthConfigError naming the first route whose policy cannot be met.
   */
  onModuleInit(): void {
    this.config.replay?.cover(this.config.tolerance);
    const short: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype as Controller | null;
      if (typeof controller !== 'function') continue;
      for (const name of this.scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, Handler>)[name]!;
        const policy = this.find(controller, handler);
        if (!policy) continue;
        this.config.replay?.cover(policy.tolerance);
        if (policy.tolerance < JAMBONZ_RETRY_WINDOW_SECONDS) short.push(`${policy.route} (${policy.tolerance} s)`);
        if (policy.withBody.signature) {
          this.signed.push({ route: policy.route, path: urlPath(this.pathOf(controller), this.pathOf(handler)) });
        }
      }
    }
    if (short.length > 0) {
      this.logger.warn(
        `Tolerance shorter than jambonz's retry window (${JAMBONZ_RETRY_WINDOW_SECONDS} s) on ${short.join(', ')}: ` +
          'a webhook jambonz retries (with the same signature) may be refused as stale.',
      );
    }
  }

  /**
   * The policy of a `@JambonzWebhook()` route (on its method or its class), or `undefined` for
   * any other route.
   * @throws JambonzAuthConfigError as `createRoutePolicy` (at bootstrap for every route).
   */
  find(controller: Controller, handler: Handler): JambonzRoutePolicy | undefined {
    const policy = cached(this.policies, controller, handler, () => {
      const classOptions = this.reflector.get<ValidatedWebhookOptions | undefined>(JAMBONZ_WEBHOOK_OPTIONS, controller);
      const methodOptions = this.reflector.get<ValidatedWebhookOptions | undefined>(JAMBONZ_WEBHOOK_OPTIONS, handler);
      if (classOptions === undefined && methodOptions === undefined) return null;
      const route = routeName(controller, handler);
      return createRoutePolicy(this.config, merge(classOptions, methodOptions), route, this.methodOf(handler));
    });
    return policy ?? undefined;
  }

  /**
   * {@link find}, or for a route that binds the guard without the decorator (`JambonzAuthGuard`
   * as a global guard, or in `@UseGuards()`), the module's own policy for it. Such routes are
   * not known at bootstrap: one whose policy cannot be met (a GET route under a module that
   * requires the signature alone) refuses every request with 401 and logs why, once.
   */
  for(controller: Controller, handler: Handler): JambonzRoutePolicy {
    return (
      this.find(controller, handler) ??
      cached(this.undecorated, controller, handler, () => {
        const route = routeName(controller, handler);
        try {
          return createRoutePolicy(this.config, {} as ValidatedWebhookOptions, route, this.methodOf(handler));
        } catch (error) {
          if (!(error instanceof JambonzAuthConfigError)) throw error;
          this.logger.error(`${error.message} It binds JambonzAuthGuard without @JambonzWebhook(): every request is refused.`);
          return refusingEverything(route, this.config.tolerance);
        }
      })
    );
  }

  /**
   * The routes that verify signatures on requests with a body, with their paths as declared
   * (without the global prefix or a version), found at bootstrap.
   */
  signedRoutes(): readonly SignedRoute[] {
    return this.signed;
  }

  private pathOf(target: RouteTarget): string {
    const path = this.reflector.get<string | string[] | undefined>(NEST_METADATA.path, target);
    return (Array.isArray(path) ? path[0] : path) ?? '';
  }

  private methodOf(handler: Handler): RequestMethod | undefined {
    return this.reflector.get<RequestMethod | undefined>(NEST_METADATA.method, handler);
  }
}

/** `map[controller][handler]`, made by `create` the first time it is asked for. */
function cached<V>(map: WeakMap<Controller, Map<Handler, V>>, controller: Controller, handler: Handler, create: () => V): V {
  let byHandler = map.get(controller);
  if (!byHandler) {
    byHandler = new Map();
    map.set(controller, byHandler);
  }
  if (!byHandler.has(handler)) byHandler.set(handler, create());
  return byHandler.get(handler)!;
}

/** A policy with no check that can pass: every request is refused (`signature_unverifiable`). */
function refusingEverything(route: string, tolerance: number): JambonzRoutePolicy {
  const none: RequestChecks = { signature: false, basic: false, oneSuffices: false };
  return {
    route,
    require: 'signature',
    tolerance,
    credentials: undefined,
    credentialSet: undefined,
    secrets: undefined,
    secretSet: undefined,
    optionsExempt: false,
    replay: false,
    withBody: none,
    bodiless: none,
  };
}

/** A method's options over its class's, field by field (an unset field does not hide the class's). */
function merge(
  classOptions: ValidatedWebhookOptions | undefined,
  methodOptions: ValidatedWebhookOptions | undefined,
): ValidatedWebhookOptions {
  const merged: Record<string, unknown> = { ...classOptions };
  for (const [key, value] of Object.entries(methodOptions ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  return merged as ValidatedWebhookOptions;
}

function routeName(controller: Controller, handler: Handler): string {
  return `${controller.name}.${handler.name}`;
}
