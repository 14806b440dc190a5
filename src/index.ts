// The public API of nestjs-jambonz-auth. Anything not exported here is internal.
export * from './core/index.js';
export { JambonzAuth, getJambonzAuthContext, type JambonzAuthContext } from './jambonz-auth-context.js';
export { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_REALM,
  JAMBONZ_AUTH_CONFIG,
  JAMBONZ_AUTH_CONTEXT,
  JAMBONZ_AUTH_MODULE_OPTIONS,
  JAMBONZ_WEBHOOK_OPTIONS,
  SIGNATURE_HEADER,
  WELL_KNOWN_JAMBONZ_SECRET,
} from './jambonz-auth.constants.js';
export { JambonzAuthGuard, type JambonzAuthentication, type VerifiedRequestSignature } from './jambonz-auth.guard.js';
export type { JambonzAuthChecks, JambonzRoutePolicy } from './jambonz-route-policy.js';
export type { WebhookRequest } from './webhook-request.js';
export type { ReplayClaim, ReplayProtection, ReplaySettings } from './replay/replay-protection.js';
export { JambonzAuthModule } from './jambonz-auth.module.js';
export {
  type JambonzAuthModuleAsyncOptions,
  type JambonzAuthModuleExtras,
  type JambonzAuthModuleForRootOptions,
} from './jambonz-auth.module-definition.js';
export type {
  JambonzAuthCheck,
  JambonzAuthModuleOptions,
  JambonzReplayOptions,
  JambonzSecretResolver,
  JambonzSecretResolverContext,
  JambonzWebhookOptions,
} from './jambonz-auth-options.interface.js';
export type { JambonzAuthConfig } from './jambonz-auth-options.validator.js';
export { JAMBONZ_UNAUTHORIZED_MESSAGE, JambonzUnauthorizedException } from './jambonz-unauthorized.exception.js';
export { isJambonzWebhook, JambonzWebhook } from './jambonz-webhook.decorator.js';
export { JambonzGlobalGuard } from './jambonz-global.guard.js';
export { JambonzWebhookInterceptor } from './jambonz-webhook.interceptor.js';
export type { RequestBodySource } from './request-body.reader.js';
export { JAMBONZ_REPLAY_MESSAGE, JambonzReplayException, type JambonzReplayReason } from './jambonz-replay.exception.js';
export { MemoryReplayStore } from './replay/memory-replay.store.js';
export { RedisReplayStore, type RedisReplayClient } from './replay/redis-replay.store.js';
export { JAMBONZ_RETRY_WINDOW_SECONDS } from './replay/replay-protection.js';
export type { ReplayClaimResult, ReplayStore } from './replay/replay-store.interface.js';
export type * from './payloads/index.js';
