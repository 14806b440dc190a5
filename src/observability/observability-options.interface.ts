import type { JambonzAuthDecision } from './jambonz-auth-decision.interface.js';

/**
 * Receives every decision of the module (the `onDecision` option): accepted and refused
 * webhooks, and WebSocket upgrades with the WebSocket adapter.
 *
 * It runs off the request path: decisions are queued and handed over after the current I/O
 * phase (one `setImmediate` for all the decisions of that phase), so the request never waits
 * for it. A listener that throws, or returns a promise that rejects, is logged at `error` level
 * (at most once a minute, with the number of failures) and changes nothing for any request.
 * Return a promise only to have its rejection logged: nothing waits for it.
 */
export type JambonzDecisionListener = (decision: JambonzAuthDecision) => void | PromiseLike<unknown>;

/**
 * What the module needs of an OpenTelemetry `MeterProvider` (`@opentelemetry/api`'s
 * `MeterProvider`, or `@opentelemetry/sdk-metrics`' class of that name): `getMeter()`. Declared
 * here so that the module's types do not depend on `@opentelemetry/api`, an optional peer.
 */
export interface JambonzMeterProvider {
  /** Returns the meter for an instrumentation scope (name and version). */
  getMeter(name: string, version?: string, options?: object): unknown;
}

/**
 * Where the module's metrics go (the `metrics` option, when an object).
 */
export interface JambonzMetricsOptions {
  /**
   * The meter provider to create the instruments with. Default: OpenTelemetry's global one
   * (`metrics.getMeterProvider()` of `@opentelemetry/api`, which must then be installed), read
   * once while the app boots: register the SDK before the Nest app is created.
   */
  meterProvider?: JambonzMeterProvider;
}

/**
 * Rotation telemetry (the `credentialUsage` option, when an object): per instance, when each
 * configured secret and Basic credential pair last authenticated a request.
 */
export interface JambonzCredentialUsageOptions {
  /**
   * Seconds after which a secret (or pair) that authenticated nothing, while another of its set
   * did, is reported as unused: logged once at `log` level, and `safeToRemove` in
   * `JambonzCredentialUsage.report()`. Default 86400 (24 h): longer than any call, so every call
   * started before the rotation has ended.
   */
  unusedAfter?: number;
}
