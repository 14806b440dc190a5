import { Logger } from '@nestjs/common';
import { credentialsProblem } from './core/basic-credentials.js';
import { BasicCredentialsVerifier, DEFAULT_TOLERANCE_SECONDS, nowInSeconds, type BasicCredentials } from './core/index.js';
import { JambonzAuthConfigError } from './jambonz-auth-config.error.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_REALM, WELL_KNOWN_JAMBONZ_SECRET } from './jambonz-auth.constants.js';
import { ReplayProtection } from './replay/replay-protection.js';
import type {
  JambonzAuthCheck,
  JambonzAuthModuleOptions,
  JambonzReplayOptions,
  JambonzSecretResolver,
  JambonzWebhookOptions,
} from './jambonz-auth-options.interface.js';

/** The module's options after validation, with every default filled in. */
export interface JambonzAuthConfig {
  /** Static webhook secrets; empty when a resolver picks them. */
  readonly secrets: readonly string[];
  /** Picks secrets per request instead of `secrets`; `undefined` when not set. */
  readonly secretResolver: JambonzSecretResolver | undefined;
  /** Seconds. */
  readonly secretResolverCacheTtl: number;
  /** The module's Basic credentials, digested for constant-time comparison; `undefined` when not set. */
  readonly basicAuth: BasicCredentialsVerifier | undefined;
  /** `require` as the user set it; `undefined` means "every check that has material". */
  readonly require: JambonzAuthCheck | undefined;
  /** Seconds. */
  readonly tolerance: number;
  /** Let OPTIONS through unauthenticated. */
  readonly allowOptionsRequests: boolean;
  /** Refuse instead of verifying a re-serialised body. */
  readonly requireRawBody: boolean;
  /** Bytes. */
  readonly maxBodyBytes: number;
  /** Realm of the `WWW-Authenticate: Basic` challenge. */
  readonly realm: string;
  /** Unix seconds. */
  readonly clock: () => number;
  /** Replay protection; `undefined` when off. */
  readonly replay: ReplayProtection | undefined;
}

const CHECKS: readonly JambonzAuthCheck[] = ['signature', 'basic', 'either', 'both'];

const MODULE_KEYS: ReadonlySet<string> = new Set<keyof JambonzAuthModuleOptions>([
  'secret',
  'secretResolver',
  'secretResolverCacheTtl',
  'basicAuth',
  'require',
  'tolerance',
  'allowOptionsRequests',
  'requireRawBody',
  'maxBodyBytes',
  'realm',
  'clock',
  'allowWellKnownSecret',
  'allowSecretWhitespace',
  'replay',
]);

const REPLAY_KEYS: ReadonlySet<string> = new Set<keyof JambonzReplayOptions>([
  'store',
  'ttl',
  'lease',
  'timeout',
  'onStoreError',
]);

const ROUTE_KEYS: ReadonlySet<string> = new Set<keyof JambonzWebhookOptions>([
  'require',
  'tolerance',
  'basicAuth',
  'allowOptionsRequests',
  'replay',
]);

/**
 * Validates the module's options and fills in defaults.
 *
 * @param options what `forRoot()` received or the `forRootAsync()` factory returned.
 * @throws JambonzAuthConfigError naming the option and what to set, when: `options` is not an
 *   object or has an unknown key; there is no `secret`, `secretResolver` or `basicAuth`; both
 *   `secret` and `secretResolver` are set; a secret is empty, has surrounding whitespace or a
 *   line break (unless `allowSecretWhitespace`), or is jambonz's well-known default (unless
 *   `allowWellKnownSecret`); Basic credentials are empty or the username has `:`; `require`
 *   asks for a check without material; a number is out of range or a flag is not a boolean.
 */
export function createJambonzAuthConfig(options: unknown): JambonzAuthConfig {
  const where = 'options';
  const o = asOptionsObject<JambonzAuthModuleOptions>(options, where, MODULE_KEYS);
  const allowWellKnownSecret = optionalBoolean(o.allowWellKnownSecret, `${where}.allowWellKnownSecret`, false);
  const allowSecretWhitespace = optionalBoolean(o.allowSecretWhitespace, `${where}.allowSecretWhitespace`, false);
  const secrets = o.secret === undefined ? [] : validateSecrets(o.secret, allowWellKnownSecret, allowSecretWhitespace);
  if (o.secretResolver !== undefined && typeof o.secretResolver !== 'function') {
    throw new JambonzAuthConfigError(`${where}.secretResolver must be a function (context) => secret(s).`);
  }
  if (o.secretResolver !== undefined && o.secret !== undefined) {
    throw new JambonzAuthConfigError(
      `set either ${where}.secret or ${where}.secretResolver, not both: the resolver picks the secrets.`,
    );
  }
  const basicAuth = o.basicAuth === undefined ? undefined : validateBasicAuth(o.basicAuth, `${where}.basicAuth`);
  if (secrets.length === 0 && o.secretResolver === undefined && basicAuth === undefined) {
    throw new JambonzAuthConfigError(
      'nothing to authenticate with. Set secret to the webhook secret from the jambonz portal ' +
        '(e.g. from JAMBONZ_WEBHOOK_SECRET), or basicAuth to the credentials of the application hook, or both.',
    );
  }
  const config: JambonzAuthConfig = {
    secrets,
    secretResolver: o.secretResolver,
    secretResolverCacheTtl: optionalNumber(
      o.secretResolverCacheTtl,
      `${where}.secretResolverCacheTtl`,
      0,
      'non-negative number of seconds',
      (n) => n >= 0,
    ),
    basicAuth,
    require: o.require === undefined ? undefined : validateCheck(o.require, `${where}.require`),
    tolerance: validateTolerance(o.tolerance, `${where}.tolerance`, DEFAULT_TOLERANCE_SECONDS),
    allowOptionsRequests: optionalBoolean(o.allowOptionsRequests, `${where}.allowOptionsRequests`, true),
    requireRawBody: optionalBoolean(o.requireRawBody, `${where}.requireRawBody`, false),
    maxBodyBytes: optionalNumber(
      o.maxBodyBytes,
      `${where}.maxBodyBytes`,
      DEFAULT_MAX_BODY_BYTES,
      'positive whole number of bytes',
      (n) => Number.isSafeInteger(n) && n > 0,
    ),
    realm: validateRealm(o.realm, `${where}.realm`),
    clock: validateClock(o.clock, `${where}.clock`),
    replay: o.replay === undefined ? undefined : validateReplay(o.replay, `${where}.replay`),
  };
  if (config.require !== undefined) {
    assertMaterial(config.require, hasSignatureMaterial(config), basicAuth !== undefined, `${where}.require`);
  }
  return config;
}

/**
 * Validates `@JambonzWebhook()` options on their own (types and ranges); whether the module has
 * material for them is checked at bootstrap.
 *
 * @param where where the options come from, for the message (e.g. `CallController.onCall`).
 * @throws JambonzAuthConfigError for an unknown key or a value of the wrong type or range.
 */
export function validateWebhookOptions(options: unknown, where: string): JambonzWebhookOptions {
  const o = asOptionsObject<JambonzWebhookOptions>(options ?? {}, where, ROUTE_KEYS);
  const valid: { -readonly [K in keyof JambonzWebhookOptions]: JambonzWebhookOptions[K] } = {};
  if (o.require !== undefined) valid.require = validateCheck(o.require, `${where}.require`);
  if (o.tolerance !== undefined)
    valid.tolerance = validateTolerance(o.tolerance, `${where}.tolerance`, DEFAULT_TOLERANCE_SECONDS);
  if (o.basicAuth !== undefined) {
    validateBasicAuth(o.basicAuth, `${where}.basicAuth`);
    valid.basicAuth = o.basicAuth;
  }
  if (o.allowOptionsRequests !== undefined) {
    valid.allowOptionsRequests = optionalBoolean(o.allowOptionsRequests, `${where}.allowOptionsRequests`, true);
  }
  if (o.replay !== undefined) valid.replay = optionalBoolean(o.replay, `${where}.replay`, true);
  return Object.freeze(valid);
}

/** True when the configuration can check a signature (static secrets or a resolver). */
export function hasSignatureMaterial(config: JambonzAuthConfig): boolean {
  return config.secrets.length > 0 || config.secretResolver !== undefined;
}

/**
 * @throws JambonzAuthConfigError when `check` needs a secret or credentials that are missing.
 */
export function assertMaterial(check: JambonzAuthCheck, hasSecret: boolean, hasBasic: boolean, where: string): void {
  const needsSecret = check !== 'basic';
  const needsBasic = check !== 'signature';
  if (needsSecret && !hasSecret) {
    throw new JambonzAuthConfigError(
      `${where} is '${check}', which needs a webhook secret: set secret (or secretResolver) in JambonzAuthModule.forRoot().`,
    );
  }
  if (needsBasic && !hasBasic) {
    throw new JambonzAuthConfigError(
      `${where} is '${check}', which needs Basic credentials: set basicAuth in JambonzAuthModule.forRoot() or on the route.`,
    );
  }
}

function asOptionsObject<T>(options: unknown, where: string, keys: ReadonlySet<string>): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new JambonzAuthConfigError(`${where} must be an object (got ${describe(options)}).`);
  }
  for (const key of Object.keys(options)) {
    if (!keys.has(key)) {
      throw new JambonzAuthConfigError(`${where} has an unknown key '${key}'. Known keys: ${[...keys].join(', ')}.`);
    }
  }
  return options as T;
}

function validateSecrets(secret: unknown, allowWellKnown: boolean, allowWhitespace: boolean): string[] {
  const list = typeof secret === 'string' ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0) {
    throw new JambonzAuthConfigError(
      'options.secret must be the webhook secret (a string) or a non-empty array of them. ' +
        'Copy it from the jambonz portal (Account > Webhook secret).',
    );
  }
  return list.map((value: unknown, index) => {
    const name = typeof secret === 'string' ? 'options.secret' : `options.secret[${index}]`;
    if (typeof value !== 'string' || value === '') {
      throw new JambonzAuthConfigError(`${name} is empty or not a string. Set it to the webhook secret from the jambonz portal.`);
    }
    if (!allowWhitespace && (value.trim() !== value || /[\r\n]/.test(value))) {
      throw new JambonzAuthConfigError(
        `${name} has leading or trailing whitespace or a line break, usually a copy-paste accident. ` +
          'Remove it, or set allowSecretWhitespace: true if the secret really contains it.',
      );
    }
    if (!allowWellKnown && value === WELL_KNOWN_JAMBONZ_SECRET) {
      throw new JambonzAuthConfigError(
        `${name} is the default webhook secret of jambonz's open-source seed database, which everyone knows: ` +
          'requests signed with it prove nothing. Regenerate the secret in the jambonz portal and use the new one ' +
          '(or set allowWellKnownSecret: true for a local test server).',
      );
    }
    return value;
  });
}

const CONFIG_CREDENTIALS_PROBLEMS = {
  shape: (name: string) => `${name} must be { username, password }.`,
  username: (name: string) => `${name}.username must be a non-empty string without ':' (RFC 7617).`,
  password: (name: string) => `${name}.password must be a non-empty string.`,
  characters: (name: string) =>
    `${name} contains a control character or a line separator, which RFC 7617 does not allow in Basic credentials. ` +
    'Remove it (a pasted value often ends with a newline) and set the same value on the jambonz application.',
} as const;

function validateBasicAuth(value: unknown, where: string): BasicCredentialsVerifier {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    throw new JambonzAuthConfigError(`${where} is an empty array. Set { username, password } of the jambonz application hook.`);
  }
  list.forEach((pair: unknown, index) => {
    const problem = credentialsProblem(pair);
    if (problem !== undefined) {
      const name = Array.isArray(value) ? `${where}[${index}]` : where;
      throw new JambonzAuthConfigError(CONFIG_CREDENTIALS_PROBLEMS[problem](name));
    }
  });
  return new BasicCredentialsVerifier(list as BasicCredentials[]);
}

function validateReplay(value: unknown, where: string): ReplayProtection {
  const o = asOptionsObject<JambonzReplayOptions>(value, where, REPLAY_KEYS);
  const store = o.store as Partial<JambonzReplayOptions['store']> | undefined;
  if (!store || typeof store.claim !== 'function' || typeof store.consume !== 'function' || typeof store.release !== 'function') {
    throw new JambonzAuthConfigError(
      `${where}.store must be a replay store (claim, consume, release): new MemoryReplayStore() for one instance, ` +
        'or new RedisReplayStore(redisClient) for several.',
    );
  }
  if (o.onStoreError !== undefined && o.onStoreError !== 'reject' && o.onStoreError !== 'allow') {
    throw new JambonzAuthConfigError(`${where}.onStoreError must be 'reject' or 'allow' (got ${describe(o.onStoreError)}).`);
  }
  const positive = (n: number) => n > 0;
  const settings = {
    store: o.store,
    ttl: o.ttl === undefined ? undefined : optionalNumber(o.ttl, `${where}.ttl`, 0, 'positive number of seconds', positive),
    lease: optionalNumber(o.lease, `${where}.lease`, 30, 'positive number of seconds', positive),
    timeout: optionalNumber(o.timeout, `${where}.timeout`, 1, 'positive number of seconds', positive),
    failOpen: o.onStoreError === 'allow',
  };
  return new ReplayProtection(settings, new Logger('JambonzReplayProtection'));
}

function validateCheck(value: unknown, where: string): JambonzAuthCheck {
  if (!CHECKS.includes(value as JambonzAuthCheck)) {
    throw new JambonzAuthConfigError(
      `${where} must be one of ${CHECKS.map((c) => `'${c}'`).join(', ')} (got ${describe(value)}).`,
    );
  }
  return value as JambonzAuthCheck;
}

function validateTolerance(value: unknown, where: string, fallback: number): number {
  return optionalNumber(value, where, fallback, 'positive number of seconds', (n) => n > 0);
}

function validateRealm(value: unknown, where: string): string {
  if (value === undefined) return DEFAULT_REALM;
  // The realm goes inside a quoted-string (RFC 9110 section 11.6.1): no quotes, backslashes or controls.
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value === '' || /["\\\x00-\x1f\x7f]/.test(value)) {
    throw new JambonzAuthConfigError(`${where} must be a non-empty string without quotes, backslashes or control characters.`);
  }
  return value;
}

function validateClock(value: unknown, where: string): () => number {
  if (value === undefined) return nowInSeconds;
  if (typeof value !== 'function') {
    throw new JambonzAuthConfigError(`${where} must be a function returning the Unix time in seconds.`);
  }
  return value as () => number;
}

function optionalBoolean(value: unknown, where: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new JambonzAuthConfigError(`${where} must be true or false (got ${describe(value)}).`);
  }
  return value;
}

function optionalNumber(
  value: unknown,
  where: string,
  fallback: number,
  expected: string,
  accept: (n: number) => boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !accept(value)) {
    throw new JambonzAuthConfigError(`${where} must be a ${expected} (got ${describe(value)}).`);
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value);
}
