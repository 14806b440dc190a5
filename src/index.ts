// The public API of nestjs-jambonz-auth. Anything not exported here is internal.
export * from './core/index.js';
export { JambonzAuth, getJambonzAuthContext, type JambonzAuthContext } from './jambonz-auth-context.decorator.js';
export { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
export type { JambonzAuthConfig } from './jambonz-auth.config.js';
export {
  JAMBONZ_AUTH_CONFIG,
  JAMBONZ_AUTH_MODULE_OPTIONS,
  JAMBONZ_ROUTE_POLICIES,
  JAMBONZ_SUCCESS_STATUSES,
  JAMBONZ_WEBHOOK_OPTIONS,
  SIGNATURE_HEADER,
} from './jambonz-auth.constants.js';
export { JambonzAuthGuard, type JambonzAuthentication, type SignatureMatch } from './jambonz-auth.guard.js';
export { JambonzRoutePolicies, type JambonzRoutePolicy, type RequestChecks, type SignedRoute } from './jambonz-route.policy.js';
export type {
  JambonzAuthDecision,
  JambonzDecisionObserver,
  JambonzDecisionReason,
} from './observability/jambonz-auth-decision.interface.js';
export type { WebhookRequest } from './webhook-request.interface.js';
export {
  JambonzAuthModule,
  type JambonzAuthModuleAsyncOptions,
  type JambonzAuthModuleExtras,
  type JambonzAuthModuleForRootOptions,
} from './jambonz-auth.module.js';
export type {
  JambonzAuthModuleOptions,
  JambonzAuthRequirement,
  JambonzSecretResolver,
  JambonzSecretResolverContext,
  JambonzWebhookOptions,
  JambonzWebSocketOptions,
} from './jambonz-auth-options.interface.js';
export { MAX_TOLERANCE_SECONDS } from './jambonz-auth-options.rules.js';
export { JAMBONZ_UNAUTHORIZED_MESSAGE, JambonzUnauthorizedException } from './jambonz-unauthorized.exception.js';
export { isJambonzWebhook, JambonzWebhook } from './jambonz-webhook.decorator.js';
export { JambonzGlobalGuard } from './jambonz-global.guard.js';
export { describeError, logSafe, MAX_LOGGED_CHARACTERS } from './log-safe.util.js';
export type { RequestBodySource } from './request-body.reader.js';
export type { WebhookSecretsResolver } from './webhook-secrets.resolver.js';
export { JAMBONZ_REPLAY_MESSAGE, JambonzReplayException, type JambonzReplayReason } from './replay/jambonz-replay.exception.js';
export type { JambonzReplayOptions } from './replay/replay-options.interface.js';
export { MemoryReplayStore } from './replay/memory-replay.store.js';
export { RedisReplayStore, type RedisReplayClient } from './replay/redis-replay.store.js';
export {
  JAMBONZ_RETRY_WINDOW_SECONDS,
  type ReplayProtection,
  type ReplayResponse,
  type ReplaySettings,
} from './replay/replay-protection.js';
export type { ReplayClaimResult, ReplayStore } from './replay/replay-store.interface.js';
export type * from './payloads/index.js';
export type {
  JambonzCredentialUsageOptions,
  JambonzDecisionListener,
  JambonzMeterProvider,
  JambonzMetricsOptions,
} from './observability/observability-options.interface.js';
export type { JambonzCredentialUsageEntry, JambonzCredentialUsageReport } from './observability/credential-usage.interface.js';
export type { CredentialUsageSettings, CredentialUsageTracker } from './observability/credential-usage.tracker.js';
export { JambonzCredentialUsage } from './observability/jambonz-credential-usage.service.js';
export {
  DECISION_DURATION_BUCKETS,
  JAMBONZ_METER_NAME,
  JAMBONZ_METRIC_ATTRIBUTES,
  JAMBONZ_METRICS,
} from './observability/jambonz-auth.metrics.js';
