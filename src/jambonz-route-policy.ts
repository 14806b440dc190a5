import type { Reflector } from '@nestjs/core';
import { BasicCredentialsVerifier } from './core/index.js';
import { JAMBONZ_WEBHOOK_OPTIONS } from './jambonz-auth.constants.js';
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
 *   neither the route nor the module provides, when it asks for replay protection without a
 *   store, or when replay protection is on and `require` is `'either'` or `'basic'` (Basic alone
 *   would let a copied request through, so the protection would be void).
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
  const replay = config.replay !== undefined && route.replay !== false;
  if (replay && (require === 'either' || require === 'basic')) {
    // Replay protection keys on the verified signature. Where Basic alone lets a request in, a
    // copied request passes on its (reusable) credentials, with or without its signature.
    throw new JambonzAuthConfigError(
      `${where} has replay protection but require '${require}', so a copied request passes on Basic alone: ` +
        `require 'signature' or 'both' there, or set @JambonzWebhook({ replay: false }) on it.`,
    );
  }
  return {
    require,
    tolerance: route.tolerance ?? config.tolerance,
    basicAuth,
    allowOptionsRequests: route.allowOptionsRequests ?? config.allowOptionsRequests,
    replay,
  };
}

/**
 * The policy of one controller method: its `@JambonzWebhook()` options laid over its class's,
 * then over the module's configuration ({@link createRoutePolicy}); `undefined` when neither the
 * method nor the class carries the decorator.
 *
 * @throws JambonzAuthConfigError as {@link createRoutePolicy}, naming the route `Class.method`.
 */
export function findRoutePolicy(
  config: JambonzAuthConfig,
  reflector: Reflector,
  controller: abstract new (...args: never[]) => unknown,
  handler: (...args: never[]) => unknown,
): JambonzRoutePolicy | undefined {
  const classOptions = reflector.get<JambonzWebhookOptions | undefined>(JAMBONZ_WEBHOOK_OPTIONS, controller);
  const methodOptions = reflector.get<JambonzWebhookOptions | undefined>(JAMBONZ_WEBHOOK_OPTIONS, handler);
  if (classOptions === undefined && methodOptions === undefined) return undefined;
  return createRoutePolicy(config, { ...classOptions, ...methodOptions }, `${controller.name}.${handler.name}`);
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
