import { BasicCredentialsVerifier } from './core/index.js';
import type { JambonzAuthCheck, JambonzWebhookOptions } from './jambonz-auth-options.interface.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { assertMaterial, hasSignatureMaterial, type JambonzAuthConfig } from './jambonz-auth-options.validator.js';

/** What one route requires: the module's configuration with the route's options laid over it. */
export interface JambonzRoutePolicy {
  readonly require: JambonzAuthCheck;
  /** Seconds. */
  readonly tolerance: number;
  readonly basicAuth: BasicCredentialsVerifier | undefined;
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
