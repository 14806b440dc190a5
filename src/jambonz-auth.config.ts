import { Logger } from '@nestjs/common';
import { BasicCredentialsVerifier } from './core/index.js';
import type { JambonzAuthRequirement, JambonzWebSocketOptions } from './jambonz-auth-options.interface.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { DEFAULT_SET } from './jambonz-auth.constants.js';
import { DEFAULT_UNUSED_AFTER_SECONDS, validateModuleOptions } from './jambonz-auth-options.rules.js';
import { CredentialUsageTracker } from './observability/credential-usage.tracker.js';
import type { JambonzDecisionObserver } from './observability/jambonz-auth-decision.interface.js';
import { JambonzAuthMetrics } from './observability/jambonz-auth.metrics.js';
import { createDecisionObserver } from './observability/jambonz-decision.observer.js';
import type { JambonzMeterProvider } from './observability/observability-options.interface.js';
import { ReplayProtection } from './replay/replay-protection.js';
import { WebhookSecretsResolver } from './webhook-secrets.resolver.js';

/**
 * The module's configuration as the guard uses it: the options validated, every default filled
 * in, secrets and credentials gathered into named sets, and what runs built once (credential
 * verifiers with their digests, the secret resolver, replay protection). Provided under
 * `JAMBONZ_AUTH_CONFIG`.
 */
export interface JambonzAuthConfig {
  /** Static webhook secrets by set name: `'default'` is `secret`, the others `namedSecrets`. */
  readonly secretSets: ReadonlyMap<string, readonly string[]>;
  /** Picks the default set's secrets per request instead of `secret`; `undefined` when not set. */
  readonly secretResolver: WebhookSecretsResolver | undefined;
  /** Basic credential verifiers by set name: `'default'` is `basicAuth`, the others `namedCredentials`. */
  readonly credentialSets: ReadonlyMap<string, BasicCredentialsVerifier>;
  /** `require` as the user set it; `undefined` means "every check that has material". */
  readonly require: JambonzAuthRequirement | undefined;
  /** Seconds. */
  readonly tolerance: number;
  /** Let OPTIONS through unauthenticated on routes declared for OPTIONS. */
  readonly allowOptionsRequests: boolean;
  /** Verify a re-serialised body when the raw bytes are gone, instead of refusing. */
  readonly allowReserializedBody: boolean;
  /** Bytes. */
  readonly maxBodyBytes: number;
  /** Realm of the `WWW-Authenticate: Basic` challenge. */
  readonly realm: string;
  /** Unix seconds. */
  readonly clock: () => number;
  /** Replay protection; `undefined` when off. */
  readonly replay: ReplayProtection | undefined;
  /** Frame limits of the jambonz WebSocket gateways, in bytes (the `websocket` block, defaults filled in). */
  readonly websocket: Readonly<Required<JambonzWebSocketOptions>>;
  /** Receives every decision (events, metrics, rotation telemetry); `undefined` when nothing observes. */
  readonly observer: JambonzDecisionObserver | undefined;
  /** Rotation telemetry: what each static secret and credential pair last authenticated (`JambonzCredentialUsage`). */
  readonly credentialUsage: CredentialUsageTracker;
}

/**
 * Validates the module's options (see `JambonzAuthModuleOptions`) and builds the configuration.
 *
 * @param options what `forRoot()` received or the `forRootAsync()` factory returned.
 * @param globalMeterProvider OpenTelemetry's global meter provider, loaded beforehand (it is
 *   loaded asynchronously) when `metrics` is `true`; see `loadGlobalMeterProvider`.
 * @throws JambonzAuthConfigError naming the option and what to set (see the option rules).
 */
export function createJambonzAuthConfig(options: unknown, globalMeterProvider?: JambonzMeterProvider): JambonzAuthConfig {
  const o = validateModuleOptions(options);
  const logger = new Logger('JambonzAuthModule');
  const secretSets = new Map(o.namedSecrets);
  if (o.secret !== undefined) secretSets.set(DEFAULT_SET, o.secret);
  const credentialSets = new Map(
    [...(o.namedCredentials ?? [])].map(([name, pairs]) => [name, new BasicCredentialsVerifier(pairs)]),
  );
  if (o.basicAuth !== undefined) credentialSets.set(DEFAULT_SET, new BasicCredentialsVerifier(o.basicAuth));
  const rules = { allowWellKnownSecret: o.allowWellKnownSecret, allowSecretWhitespace: o.allowSecretWhitespace };
  const secretSizes = new Map([...secretSets].map(([name, secrets]) => [name, secrets.length]));
  const credentialSizes = new Map([...credentialSets].map(([name, verifier]) => [name, verifier.size]));
  // By default, rotation telemetry records while a set holds several entries, and for the metrics' gauges.
  const rotating = [...secretSizes.values(), ...credentialSizes.values()].some((size) => size > 1);
  const tracking = o.credentialUsage === undefined ? o.metrics !== false || rotating : o.credentialUsage !== false;
  const credentialUsage = new CredentialUsageTracker(
    secretSizes,
    credentialSizes,
    {
      tracking,
      unusedAfter: o.credentialUsage ? o.credentialUsage.unusedAfter : DEFAULT_UNUSED_AFTER_SECONDS,
      since: o.clock(),
    },
    new Logger('JambonzCredentialUsage'),
  );
  let metrics: JambonzAuthMetrics | undefined;
  if (o.metrics) {
    const provider = o.metrics.meterProvider ?? globalMeterProvider;
    if (!provider) {
      throw new JambonzAuthConfigError(
        'options.metrics is true, but the global MeterProvider was not loaded (loadGlobalMeterProvider).',
      );
    }
    metrics = new JambonzAuthMetrics(provider, credentialUsage);
  }
  return {
    secretSets,
    secretResolver:
      o.secretResolver &&
      new WebhookSecretsResolver(
        o.secretResolver,
        { cacheTtl: o.secretResolverCacheTtl, timeout: o.secretResolverTimeout, rules },
        logger,
      ),
    credentialSets,
    require: o.require,
    tolerance: o.tolerance,
    allowOptionsRequests: o.allowOptionsRequests,
    allowReserializedBody: o.allowReserializedBody,
    maxBodyBytes: o.maxBodyBytes,
    realm: o.realm,
    clock: o.clock,
    replay:
      o.replay &&
      new ReplayProtection(
        {
          store: o.replay.store,
          ttl: o.replay.ttl,
          lease: o.replay.lease,
          timeout: o.replay.timeout,
          failOpen: o.replay.onStoreError === 'allow',
        },
        new Logger('JambonzReplayProtection'),
      ),
    observer: createDecisionObserver({
      listener: o.onDecision,
      metrics,
      usage: tracking ? credentialUsage : undefined,
      clock: o.clock,
      logger: new Logger('JambonzAuthObservability'),
    }),
    credentialUsage,
    websocket: o.websocket,
  };
}
