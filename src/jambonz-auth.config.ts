import { Logger } from '@nestjs/common';
import { BasicCredentialsVerifier } from './core/index.js';
import type { JambonzAuthRequirement, JambonzWebSocketOptions } from './jambonz-auth-options.interface.js';
import { DEFAULT_SET, validateModuleOptions } from './jambonz-auth-options.rules.js';
import type { JambonzDecisionObserver } from './observability/jambonz-auth-decision.interface.js';
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
}

/**
 * Validates the module's options (see `JambonzAuthModuleOptions`) and builds the configuration.
 *
 * @param options what `forRoot()` received or the `forRootAsync()` factory returned.
 * @throws JambonzAuthConfigError naming the option and what to set (see the option rules).
 */
export function createJambonzAuthConfig(options: unknown): JambonzAuthConfig {
  const o = validateModuleOptions(options);
  const logger = new Logger('JambonzAuthModule');
  const secretSets = new Map(o.namedSecrets);
  if (o.secret !== undefined) secretSets.set(DEFAULT_SET, o.secret);
  const credentialSets = new Map(
    [...(o.namedCredentials ?? [])].map(([name, pairs]) => [name, new BasicCredentialsVerifier(pairs)]),
  );
  if (o.basicAuth !== undefined) credentialSets.set(DEFAULT_SET, new BasicCredentialsVerifier(o.basicAuth));
  const rules = { allowWellKnownSecret: o.allowWellKnownSecret, allowSecretWhitespace: o.allowSecretWhitespace };
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
    websocket: o.websocket,
    observer: undefined,
  };
}
