import { BasicCredentialsVerifier } from './core/index.js';
import type { JambonzAuthCheck, JambonzWebhookOptions } from './jambonz-auth-options.interface.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { assertMaterial, hasSignatureMaterial, type JambonzAuthConfig } from './jambonz-auth-options.validator.js';

/** What one route requires: the module's configuration with the route's options laid over it. */
export interface JambonzRoutePolicy {
  /** The checks the route requires (before GET/HEAD is taken into account). */
  readonly require: JambonzAuthCheck;
  /** How far the signature's `t` may be from now, in seconds, either way. */
  readonly tolerance: number;
  /** The route's Basic credentials (its own, or the module's); `undefined` without any. */
  readonly basicAuth: BasicCredentialsVerifier | undefined;
  /** Whether OPTIONS passes unauthenticated. */
  readonly allowOptionsRequests: boolean;
  /** Whether replay protection applies to this route. */
  readonly replay: boolean;
}

/**
 * Lays a route's `@JambonzWebhook()` options (already validated on their own) over the module's
 * configuration. Without an explicit `require`, a route requires every check it has material
 * for.
 *
 * @param where the route, for the message (e.g. `CallController.onCall`).
 * @throws JambonzAuthConfigError when the route's check needs a secret or credentials that
 *   neither the route nor the module provides.
 */
export function createRoutePolicy(config: JambonzAuthConfig, route: JambonzWebhookOptions, where: string): JambonzRoutePolicy {
  const basicAuth = route.basicAuth === undefined ? config.basicAuth : new BasicCredentialsVerifier(route.basicAuth);
  const hasSecret = hasSignatureMaterial(config);
  const hasBasic = basicAuth !== undefined;
  const require = route.require ?? config.require ?? (hasSecret && hasBasic ? 'both' : hasSecret ? 'signature' : 'basic');
  assertMaterial(require, hasSecret, hasBasic, route.require === undefined ? `require (for ${where})` : `${where}.require`);
  if (route.replay === true && config.replay === undefined) {
    throw new JambonzAuthConfigError(
      `${where}.replay is true, which needs a store: set replay: { store } in JambonzAuthModule.forRoot().`,
    );
  }
  return {
    require,
    tolerance: route.tolerance ?? config.tolerance,
    basicAuth,
    allowOptionsRequests: route.allowOptionsRequests ?? config.allowOptionsRequests,
    replay: config.replay !== undefined && route.replay !== false,
  };
}

/** The checks that apply to one request, once its method is taken into account. */
export interface JambonzAuthChecks {
  /** Verify the `Jambonz-Signature` header (never on GET or HEAD, which carry no body). */
  readonly signature: boolean;
  /** Verify the `Authorization: Basic` header. */
  readonly basic: boolean;
  /** `true`: one passing check is enough (`either`); `false`: every check must pass. */
  readonly any: boolean;
}
